/* Choropleth classes from the page's symbology (the same table the HTML report draws with). */

export function colourFor(symbology, pct) {
  if (pct === null || pct === undefined) { return symbology.noValue; }
  const classes = symbology.coverageClasses;
  for (let i = 0; i < classes.length; i++) { if (pct < classes[i][0]) { return classes[i][1]; } }
  return classes[classes.length - 1][1];
}
