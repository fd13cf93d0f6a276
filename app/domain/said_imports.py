"""What an import says is wrong with a row, and what to do, in three wordings (``domain.said``).

The command line and logs read the English; the coordinator's upload page says each in Japanese
(with the English beside it), so a 社協 coordinator reads what to change in the list.
"""

from __future__ import annotations

IMPORT_SENTENCES = {
    "name_empty": (
        "name is empty; every row needs one",
        "名称が空です。どの行にも名称を書いてください",
        "なまえが ありません。どの 行にも なまえを 書いて ください"),
    "too_long": (
        "longer than {n} characters; shorten it",
        "{n}文字を超えています。短くしてください",
        "{n}文字より 長いです。みじかく して ください"),
    "unknown_city": (
        "unknown city '{value}'; import the city boundaries first",
        "市「{value}」が分かりません。市名を確かめるか、先に市の境界を取り込んでください",
        "市「{value}」が わかりません。市の 名前を たしかめて ください"),
    "other_city_row": (
        "this row is for {row_city}, but the list is imported for {list_city}; remove the row, or "
        "import it for its city",
        "この行は{row_city}の場所ですが、一覧は{list_city}として取り込んでいます。"
        "この行を一覧から外すか、{row_city}の一覧として取り込んでください",
        "この 行は {row_city}の 場所です。{list_city}の 一覧から 外して ください"),
    "hazard_unknown": (
        "'{text}' names no hazard; write 洪水, 土砂災害, 地震, 大規模な火事, 内水氾濫 … (several with 、)",
        "「{text}」は災害の種類として読めません。洪水・土砂災害・地震・大規模な火事・内水氾濫などを「、」で区切って書いてください",
        "「{text}」が わかりません。洪水・地震 などを 書いて ください"),
    "capacity_too_big": (
        "capacity '{text}' is more than {limit} people; check the number",
        "定員・収容人数「{text}」が{limit}人を超えています。数を確かめてください",
        "人数「{text}」が 多すぎます。数を たしかめて ください"),
    "capacity_not_number": (
        "capacity '{text}' is not a whole number of people; write e.g. 120 or leave empty",
        "定員・収容人数「{text}」が人数として読めません。120 のように数だけを書くか、空にしてください",
        "人数「{text}」が 読めません。120 の ように 数だけを 書いて ください"),
    "not_degrees": (
        "'{text}' is not a decimal degree; write e.g. 35.7 / 139.48, or leave both coordinate cells "
        "empty to geocode the address",
        "「{text}」は緯度・経度（度の小数）として読めません。35.7 / 139.48 のように書くか、"
        "住所から位置を決めるなら緯度・経度の両方を空にしてください",
        "「{text}」は 緯度・経度と して 読めません。35.7 / 139.48 の ように 書いて ください"),
    "outside_city": (
        "point is {km} km outside {city}; check the coordinates or the city column",
        "この位置は{city}の外（{km} km 離れています）です。緯度・経度か市の列を確かめてください",
        "この 場所は {city}の 外です（{km} km）。緯度・経度を たしかめて ください"),
    "address_elsewhere": (
        "'{address}' is in {elsewhere}, outside {city}: take the row out of this list, or import it "
        "with {elsewhere}'s list",
        "「{address}」は{elsewhere}で、{city}の外です。この行を一覧から外すか、{elsewhere}の一覧で"
        "取り込んでください",
        "「{address}」は {elsewhere}です。{city}の 一覧から 外して ください"),
    "nothing_to_place": (
        "no coordinates, address or venue given",
        "緯度・経度、住所、会場のどれもありません。住所か会場名を書くと地図に置けます",
        "場所が 書いて ありません。住所か 会場の なまえを 書いて ください"),
    "address_no_chome": (
        "address '{address}' matched no 町丁目",
        "住所「{address}」に合う町丁目が見つかりません。町名と丁目を確かめてください",
        "住所「{address}」の 町が 見つかりません。町の 名前を たしかめて ください"),
    "file_empty": (
        "the file is empty",
        "ファイルが空です。一覧を保存し直して、もう一度選んでください",
        "ファイルが からです"),
    "header_no_rows": (
        "the file has a header but no rows",
        "見出しの行だけで、場所の行がありません",
        "見出しだけで、場所の 行が ありません"),
    "column_twice": (
        "column '{column}' appears twice in the header; delete or rename one",
        "見出しに「{column}」が2回あります。どちらかの名前を変えるか、削除してください",
        "見出しに「{column}」が 2回 あります。ひとつに して ください"),
    "venue_no_match": (
        "venue '{name}' matches no known facility of city {city}",
        "会場「{name}」に合う施設が市（{city}）の一覧にありません。住所を書くと町丁目で地図に置けます",
        "「{name}」と いう 場所が 見つかりません。住所を 書いて ください"),
    "venue_ambiguous": (
        "venue '{name}' is ambiguous: {names}",
        "会場「{name}」に合う施設がいくつもあります（{names}）。住所か緯度・経度を書いてください",
        "「{name}」が いくつも あります。住所を 書いて ください"),
    "nul_byte": (
        "contains a NUL byte: this is not a CSV text file (UTF-16 or binary?); save it from Excel as "
        "'CSV UTF-8'",
        "文字のファイル（CSV）ではありません（UTF-16 か別の形式です）。"
        "Excel で「CSV UTF-8」として保存し直してください",
        "CSVの ファイルでは ありません。Excelで「CSV UTF-8」で ほぞんして ください"),
    "mixed_encoding": (
        "this line is not {expected} like the lines before it (the file mixes encodings); save the "
        "file as 'CSV UTF-8' from Excel and import it again",
        "この行だけ文字コードが違います（{expected} ではありません）。Excel で「CSV UTF-8」として保存し直して"
        "ください",
        "この 行の 文字が 読めません。Excelで「CSV UTF-8」で ほぞんして ください"),
    "unknown_encoding": (
        "this line is neither UTF-8 nor Shift_JIS (CP932); save the file as 'CSV UTF-8' from Excel "
        "and import it again",
        "この行の文字が読めません（UTF-8 でも Shift_JIS でもありません）。Excel で「CSV UTF-8」として"
        "保存し直してください",
        "この 行の 文字が 読めません。Excelで「CSV UTF-8」で ほぞんして ください"),
    "control_character": (
        "the cell holds a control character (an invisible code, not text); retype the cell",
        "このセルに目に見えない制御文字があります。セルを入力し直してください",
        "この セルに 見えない 文字が あります。もう いちど 入力して ください"),
    "too_many_rows": (
        "the list has more than the {limit} rows allowed in one file; split it",
        "一つのファイルに入れられる {limit} 行を超えています。ファイルを分けてください",
        "行が 多すぎます。ファイルを 分けて ください"),
    "too_many_columns": (
        "the list has {widest} columns, more than the {limit} allowed; delete the empty or unused "
        "columns",
        "列が {widest} 列あり、{limit} 列を超えています。空の列や使わない列を削除してください",
        "列が 多すぎます。使わない 列を けして ください"),
}
