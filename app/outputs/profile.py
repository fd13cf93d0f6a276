"""地区カルテ as sections (page and paper), a population chart, and the city's comparison table."""

from __future__ import annotations

import io
from datetime import date

import pandas as pd

from app.domain.demand import MEASURES
from app.domain.kinds import AREA_KINDS, PROVENANCE_LABELS
from app.domain.said import in_language
from app.domain.targets import TARGET_GROUPS
from app.outputs.fonts import pyplot
from app.outputs.textpages import text_pdf
from app.services.profile import COVERAGE_TARGETS, PROFILE_MEASURES, CityProfiles, Profile

UNITS = {"people": "人", "households": "世帯"}
REACH_LABELS = {"pct_shelter": "指定避難所まで徒歩圏内", "pct_welfare_shelter": "福祉避難所まで徒歩圏内",
                "pct_emergency_site": "指定緊急避難場所まで徒歩圏内"}


def _pct(value) -> str:
    return "—（データなし）" if value is None else f"{value:.1f}%"


def _count(value, unit: str) -> str:
    return "—" if value is None else f"{value:,.0f} {UNITS[unit]}"


def profile_sections(profile: Profile) -> list[tuple[str, list[str]]]:
    """The profile as (heading, lines), in Japanese, in reading order."""
    area = profile.area
    approximate = "（近似の区域: 最寄りの小学校による推定）" if area["provenance"] == "approximate" else ""
    population = []
    for row in profile.population:
        line = f"{row['label'].split(' / ')[0]}: {_count(row['value'], row['unit'])}"
        if row["value_2015"] is not None and row["value"] is not None:
            line += (f"（2015年 {row['value_2015']:,.0f} 人から {row['value'] - row['value_2015']:+,.0f} 人、"
                     "500 mと250 mのメッシュの比較による概算）")
        population.append(line)
    places = [f"{p['label']}{'・' + p['category'] if p['category'] else ''}: {p['count']} か所"
              + (f"（うち非公開 {p['private']}）" if p["private"] else "") for p in profile.places]
    minutes = f"徒歩{area['minutes']:g}分"
    coverage = [f"{c['label']}向けの場所まで{minutes}以内: {_pct(c['pct'])}" for c in profile.coverage]
    reach = [f"{label}（{minutes}）: {_pct(profile.reach.get(key))}" for key, label in REACH_LABELS.items()]
    said = {"hidden": "少数か、一覧なし（場所が分かるため非公開）"}
    private = [f"空き家: {c['label'] if c['status'] == 'shown' else said[c['status']]}"
               for c in profile.private_counts]
    drills = [" — ".join(v for v in (d["name"], d["schedule"] or "日時不明", d["venue"],
                                     "・".join(d["hazards"])) if v) for d in profile.drills]
    return [
        ("区域", [f"{area['name']}（{AREA_KINDS[area['kind']].label_ja}）{approximate}"]),
        ("人口（2020年国勢調査 250mメッシュから按分）", population),
        ("地域の資源（公開されている場所）", places or ["登録がありません"]),
        ("徒歩圏の割合（人口に対する割合）", coverage + reach),
        ("防災訓練", drills or ["登録されていません（市や自治会の予定を確認してください）"]),
        ("非公開のものの数", private or ["この区域の種類では数えていません"]),
        ("データの限界", [in_language(line, "ja") for line in profile.limits] or ["特になし"]),
    ]


def population_chart_svg(profile: Profile) -> str:
    """A bar chart of the population measures (people and households apart), as inline SVG."""
    plt = pyplot()
    rows = [r for r in profile.population if r["value"] is not None and r["measure"] != "total"]
    figure, ax = plt.subplots(figsize=(6, 0.35 * len(rows) + 0.6))
    labels = [f"{r['label'].split(' / ')[0]}（{UNITS[r['unit']]}）" for r in rows]
    ax.barh(labels[::-1], [r["value"] for r in rows][::-1], color="#555555")
    ax.set_xlabel("人数・世帯数")
    figure.tight_layout()
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg")
    plt.close(figure)
    svg = buffer.getvalue()
    return svg[svg.index("<svg"):]


def profile_pdf(profile: Profile, paper: str, page_url: str, today: date | None = None) -> bytes:
    """The profile on paper (12 pt), with a QR code of its live page."""
    title = f"地区カルテ　{profile.area['name']}"
    return text_pdf(title, profile_sections(profile), paper, page_url, 12, today)


def comparison_columns() -> dict[str, str]:
    """Figure key → column title (both languages), in the table's order."""
    return {"area_code": "コード / code", "area_name": "区域 / area", "provenance": "境界 / boundary",
            **{m: MEASURES[m] for m in PROFILE_MEASURES}, "total_2015": "総人口 2015 / total population 2015",
            **{f"coverage_{t}": f"{TARGET_GROUPS[t][0]}向けの場所 徒歩圏 % / within reach of places for "
                                f"{TARGET_GROUPS[t][1].lower()} %" for t in COVERAGE_TARGETS},
            **{key: f"{label} % / {key.removeprefix('pct_').replace('_', ' ')} reach %"
               for key, label in REACH_LABELS.items()}}


def comparison_frame(figures: CityProfiles) -> pd.DataFrame:
    """Every area of the city as one row, titled in both languages (the table and its CSV)."""
    columns = comparison_columns()
    frame = pd.DataFrame(list(figures.rows.values())).reindex(columns=list(columns))
    # People are whole (a mesh split over districts gives 3,720.04 of them); shares keep a decimal.
    people = [*PROFILE_MEASURES, "total_2015"]
    frame[people] = frame[people].apply(pd.to_numeric, errors="coerce").round().astype("Int64")
    frame["provenance"] = frame["provenance"].map(
        lambda p: " / ".join(PROVENANCE_LABELS[p]) if p in PROVENANCE_LABELS else p)
    return frame.sort_values("area_name").rename(columns=columns).reset_index(drop=True)
