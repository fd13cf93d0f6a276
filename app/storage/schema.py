"""The current tables (the head of the migrations). Geometry is always EPSG:4326.

Metric work happens in the domain layer. Every change here needs a revision under
``migrations/versions`` (``tests/storage/test_migrations.py`` compares the two). The module is
longer than 300 lines because every table is declared in this one place, the head that the
migrations are compared against; split it and that comparison loses its single source.
"""

from __future__ import annotations

from geoalchemy2 import Geometry
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from app.domain.kinds import HAZARDS
from app.domain.survey import HELP_KINDS, QUESTIONS
from app.storage.partitions import by_prefecture, prefecture_default

SRID = 4326
# One boolean column per hazard an emergency site is designated for: filters are plain
# column tests, and the set is read back in one place (``resource_queries``).
HAZARD_COLUMNS = {key: f"hazard_{key}" for key in HAZARDS}
EXTRA_MEASURES = ("age85", "children", "foreign", "older_living_alone", "older_couples", "infant_households")
DATASET_STATUSES = ("loaded", "unavailable")

metadata = MetaData()

datasets = Table(
    "datasets",
    metadata,
    Column("id", Integer, primary_key=True),
    # Re-importing the same source replaces the rows of the dataset with the same key.
    Column("key", String(200), nullable=False, unique=True),
    Column("layer", String(40), nullable=False),
    Column("title", String(300), nullable=False),
    Column("source_file", String(500), nullable=False),
    Column("attribution", Text, nullable=False),
    Column("licence", String(200), nullable=False, default=""),
    Column("source_date", String(40), nullable=False, default=""),
    Column("imported_at", DateTime(timezone=True), nullable=False),
    Column("record_count", Integer, nullable=False, default=0),
    Column("notes", Text, nullable=False, default=""),
    # 'unavailable': the publisher says it has no such list (for ``city_code``); kept as an
    # empty dataset so that maps and analyses can say the data does not exist upstream.
    Column("status", String(20), nullable=False, default="loaded"),
    Column("city_code", String(5), nullable=False, default=""),
)

area_sets = Table(
    "area_sets",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(40), nullable=False),
    Column("name", String(200), nullable=False),
    Column("provenance", String(20), nullable=False),
    Column("source", Text, nullable=False, default=""),
    UniqueConstraint("kind", "name", name="uq_area_sets_kind_name"),
)

areas = Table(
    "areas",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("area_set_id", Integer, ForeignKey("area_sets.id", ondelete="CASCADE"), nullable=False),
    Column("dataset_id", Integer, ForeignKey("datasets.id", ondelete="CASCADE"), nullable=False),
    Column("code", String(100), nullable=False),
    Column("name", String(200), nullable=False),
    Column("city_code", String(5), nullable=False),
    Column("properties", JSON, nullable=False, default=dict),
    # A declared catchment belongs to one resource (the salon whose target area it is).
    Column("resource_id", Integer, nullable=True),
    Column("geom", Geometry("MULTIPOLYGON", srid=SRID, spatial_index=True), nullable=False),
)
Index("ix_areas_set", areas.c.area_set_id)
Index("ix_areas_city", areas.c.city_code)

resources = Table(
    "resources",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dataset_id", Integer, ForeignKey("datasets.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("name", String(300), nullable=False),
    Column("address", String(500), nullable=False, default=""),
    Column("city_code", String(5), nullable=False, default=""),
    # The partition key on PostgreSQL (``partitions``): written from city_code, never by hand.
    Column("pref_code", String(2), nullable=False, default=prefecture_default("city_code"),
           server_default=""),
    Column("external_id", String(100), nullable=False, default=""),
    # Shelters in both GSI lists share a site key so the map can say "also a 指定避難所".
    Column("site_key", String(300), nullable=False, default=""),
    Column("source_row", Integer, nullable=False),
    Column("placement", String(30), nullable=False),
    Column("placement_detail", Text, nullable=False, default=""),
    Column("restricted", Boolean, nullable=False, default=False),
    Column("capacity", Integer, nullable=True),
    *(Column(name, Boolean, nullable=False, default=False) for name in HAZARD_COLUMNS.values()),
    Column("welfare_shelter", Boolean, nullable=False, default=False),
    # Who a place is for (domain.targets): a category key and a list of target-group keys.
    Column("category", String(40), nullable=False, default="", server_default=""),
    Column("targets", JSON, nullable=False, default=list),
    Column("attributes", JSON, nullable=False, default=dict),
    # Deletion is soft so that an admin can undo it; deleted rows are invisible everywhere else.
    Column("deleted_at", DateTime(timezone=True), nullable=True),
    Column("geom", Geometry("POINT", srid=SRID, spatial_index=True), nullable=True),
    # Raised by every edit: a write that names an older version is stale (HTTP If-Match).
    Column("version", Integer, nullable=False, default=1, server_default="1"),
    postgresql_partition_by="LIST (pref_code)",
)
by_prefecture(resources, "pref_code")
Index("ix_resources_kind", resources.c.kind)
Index("ix_resources_city", resources.c.city_code)
Index("ix_resources_dataset", resources.c.dataset_id)
Index("ix_resources_site_key", resources.c.site_key)

population_units = Table(
    "population_units",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dataset_id", Integer, ForeignKey("datasets.id", ondelete="CASCADE"), nullable=False),
    Column("unit_type", String(20), nullable=False),
    Column("code", String(20), nullable=False),
    Column("name", String(200), nullable=False, default=""),
    Column("city_code", String(5), nullable=False, default=""),
    Column("year", Integer, nullable=False),
    Column("total", Float, nullable=False),
    Column("age65", Float, nullable=True),
    Column("age75", Float, nullable=True),
    # More of the 2020 census mesh (e-Stat T001142); None where secret or not in the source.
    *(Column(name, Float, nullable=True) for name in EXTRA_MEASURES),
    Column("geom", Geometry("GEOMETRY", srid=SRID, spatial_index=True), nullable=False),
)
Index("ix_population_dataset", population_units.c.dataset_id)

context_features = Table(
    "context_features",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dataset_id", Integer, ForeignKey("datasets.id", ondelete="CASCADE"), nullable=False),
    Column("layer", String(40), nullable=False),
    Column("name", String(200), nullable=False, default=""),
    Column("properties", JSON, nullable=False, default=dict),
    Column("geom", Geometry("GEOMETRY", srid=SRID, spatial_index=True), nullable=False),
)

networks = Table(
    "networks",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dataset_id", Integer, ForeignKey("datasets.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(100), nullable=False, unique=True),
    # Compressed node and edge arrays live in a file beside the database, not in a table.
    Column("path", Text, nullable=False),
    Column("crs", String(100), nullable=False),
    Column("nodes", Integer, nullable=False),
    Column("edges", Integer, nullable=False),
)

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(100), nullable=False, unique=True),
    Column("display_name", String(200), nullable=False, default=""),
    Column("password_hash", String(300), nullable=False),
    Column("role", String(20), nullable=False),  # coordinator | admin | supporter
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    # Sessions carry the number they were signed in under; raising it (sign-out, disabling,
    # a new password) ends every session of the user at once.
    Column("session_version", Integer, nullable=False, default=1, server_default="1"),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    # SHA-256 of the token: the token itself is shown once and never stored.
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("label", String(200), nullable=False, default=""),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_used_at", DateTime(timezone=True), nullable=True),
    Column("revoked", Boolean, nullable=False, default=False),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("user_id", Integer, nullable=True),
    Column("username", String(100), nullable=False),
    Column("action", String(20), nullable=False),  # create | update | delete | restore | import
    Column("resource_id", Integer, nullable=True),
    Column("city_code", String(5), nullable=False, default=""),
    Column("summary", Text, nullable=False, default=""),
    Column("before", JSON, nullable=True),
    Column("after", JSON, nullable=True),
)
Index("ix_audit_resource", audit_log.c.resource_id)
Index("ix_audit_city", audit_log.c.city_code)

# Figures published per city, not per place (shelter capacity totals, vacant-house surveys).
city_statistics = Table(
    "city_statistics",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dataset_id", Integer, ForeignKey("datasets.id", ondelete="CASCADE"), nullable=False),
    Column("city_code", String(5), nullable=False),
    Column("topic", String(40), nullable=False),  # shelter_capacity | vacant_houses
    Column("label", Text, nullable=False),  # what is counted, as the source says it
    Column("value", Float, nullable=True),  # None: stated but not a number
    Column("unit", String(20), nullable=False),  # people | dwellings | percent | places
    Column("as_of", String(100), nullable=False, default=""),
    Column("notes", Text, nullable=False, default=""),
)
Index("ix_city_statistics_city", city_statistics.c.city_code)

# Capacity per site from a council's list, kept apart from the GSI rows: a shelter list imported
# again keeps its capacities, because they attach to the site (city and normalised address).
site_capacities = Table(
    "site_capacities",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dataset_id", Integer, ForeignKey("datasets.id", ondelete="CASCADE"), nullable=False),
    Column("city_code", String(5), nullable=False),
    Column("site_key", String(300), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("name", String(300), nullable=False),  # the stored site's name, as matched
    Column("capacity", Integer, nullable=False),
    Column("as_of", String(100), nullable=False, default=""),
    Column("source_row", Integer, nullable=False),
)
Index("ix_site_capacities_site", site_capacities.c.site_key, site_capacities.c.kind)
# Accessibility per site from a council's list, attached like capacities: ``access`` maps each
# feature the list has a column for (domain.site_access.FEATURES) to true, false or null (unknown).
site_access = Table(
    "site_access",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dataset_id", Integer, ForeignKey("datasets.id", ondelete="CASCADE"), nullable=False),
    Column("city_code", String(5), nullable=False),
    Column("site_key", String(300), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("name", String(300), nullable=False),
    Column("access", JSON, nullable=False),
    Column("as_of", String(100), nullable=False, default=""),
    Column("source_row", Integer, nullable=False),
)
Index("ix_site_access_site", site_access.c.site_key, site_access.c.kind)

# A council's programme (地域交流会, いきいきサロン事業 …): who it is for and its rules, shown with
# the places run under it; ``count_reported`` is how many places the publisher says there are.
programmes = Table(
    "programmes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dataset_id", Integer, ForeignKey("datasets.id", ondelete="CASCADE"), nullable=False),
    Column("city_code", String(5), nullable=False),
    Column("name", String(300), nullable=False),
    Column("operator", Text, nullable=False, default=""),
    Column("rules", Text, nullable=False, default=""),
    Column("count_reported", String(100), nullable=False, default=""),
    Column("as_of", String(200), nullable=False, default=""),
    Column("notes", Text, nullable=False, default=""),
    Column("source_id", String(100), nullable=False, default=""),
)
Index("ix_programmes_city", programmes.c.city_code)

# Corrections sent by the public (an organiser keeping their entry current): nothing public
# changes until a coordinator of the city approves; ``proposed`` holds only the changed fields.
corrections = Table(
    "corrections",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("resource_id", Integer, nullable=False),
    # With the id, the resource's key on a partitioned table; follows the resource's city.
    Column("resource_pref", String(2), nullable=False, default=prefecture_default("city_code"),
           server_default=""),
    Column("city_code", String(5), nullable=False),
    Column("proposed", JSON, nullable=False),
    Column("message", Text, nullable=False, default=""),
    Column("submitted_at", DateTime(timezone=True), nullable=False),
    Column("status", String(20), nullable=False, default="pending"),  # pending | approved | rejected
    Column("decided_by", String(100), nullable=False, default=""),
    Column("decided_at", DateTime(timezone=True), nullable=True),
    Column("decision_note", Text, nullable=False, default=""),
    ForeignKeyConstraint(["resource_id", "resource_pref"], ["resources.id", "resources.pref_code"],
                         name="fk_corrections_resource", ondelete="CASCADE", onupdate="CASCADE"),
)
Index("ix_corrections_city_status", corrections.c.city_code, corrections.c.status)

# Notes from a 懇談会 about one area (coordinators of its city only, never public), each change
# kept as a version so the history of an issue can be read back.
area_notes = Table(
    "area_notes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("city_code", String(5), nullable=False),
    Column("area_kind", String(40), nullable=False),
    Column("area_code", String(100), nullable=False),
    Column("noted_on", String(10), nullable=False),  # ISO date of the meeting
    Column("issue", Text, nullable=False, default=""),  # 課題
    Column("proposal", Text, nullable=False, default=""),  # 提案
    Column("owner", String(200), nullable=False, default=""),  # 担当 (a role or group, not a resident)
    Column("status", String(20), nullable=False, default="open"),  # open | in_progress | done
    Column("version", Integer, nullable=False, default=1),
)
Index("ix_area_notes_area", area_notes.c.area_kind, area_notes.c.area_code)
area_note_versions = Table(
    "area_note_versions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("note_id", Integer, ForeignKey("area_notes.id", ondelete="CASCADE"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("snapshot", JSON, nullable=False),
    Column("username", String(100), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)
Index("ix_area_note_versions_note", area_note_versions.c.note_id)

# 避難行動要支援者. Every personal field (氏名, ふりがな, 住所, 連絡先, needs, notes, plan) is in
# ``sealed`` (``storage.sealing``); the point is the 町丁目's, never the home's, so a dump of these
# tables reveals no one. Areas are kept per person so a supporter's scope is a plain join.
persons = Table(
    "persons",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("city_code", String(5), nullable=False),
    Column("chome_code", String(100), nullable=False, default=""),
    Column("lon", Float, nullable=False),  # the 町丁目 representative point
    Column("lat", Float, nullable=False),
    Column("sealed", LargeBinary, nullable=False),
    Column("version", Integer, nullable=False, default=1),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
Index("ix_persons_city", persons.c.city_code)
person_areas = Table(
    "person_areas",
    metadata,
    Column("person_id", Integer, ForeignKey("persons.id", ondelete="CASCADE"), nullable=False),
    Column("area_kind", String(40), nullable=False),
    Column("area_code", String(100), nullable=False),
)
Index("ix_person_areas_area", person_areas.c.area_kind, person_areas.c.area_code)
Index("ix_person_areas_person", person_areas.c.person_id)
# The cities a coordinator or supporter works in (``Viewer.cities``); an admin has none: every city.
user_cities = Table(
    "user_cities",
    metadata,
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("city_code", String(5), primary_key=True),
)
# The areas a supporter looks after (``domain.access.Viewer.areas``).
user_areas = Table(
    "user_areas",
    metadata,
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("area_kind", String(40), nullable=False),
    Column("area_code", String(100), nullable=False),
    UniqueConstraint("user_id", "area_kind", "area_code", name="uq_user_area"),
)
# Every read of a person (page, API, PDF, export): who, when, whom, why. Kept after a
# withdrawal, when it names an id that no longer leads to anyone.
person_reads = Table(
    "person_reads",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("user_id", Integer, nullable=True),
    Column("username", String(100), nullable=False),
    Column("person_id", Integer, nullable=False),
    Column("purpose", String(20), nullable=False),  # domain.persons.READ_PURPOSES
)
Index("ix_person_reads_at", person_reads.c.at)
# 安否確認: an event per disaster, and every mark given during it (the latest counts).
safety_events = Table(
    "safety_events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("title", String(200), nullable=False),
    Column("city_code", String(5), nullable=False),
    Column("opened_at", DateTime(timezone=True), nullable=False),
    Column("opened_by", String(100), nullable=False),
    Column("closed_at", DateTime(timezone=True), nullable=True),
    Column("closed_by", String(100), nullable=True),
    Column("hazard", String(20), nullable=True),  # the event's hazard (flood …), None when not said
)
# A shelter or site opened in an event: every change a new row (who, when), never overwritten.
event_site_updates = Table(
    "event_site_updates",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("event_id", Integer, nullable=False),
    Column("resource_id", Integer, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("username", String(100), nullable=False),
    Column("open", Boolean, nullable=False),
    Column("people", Integer, nullable=True),
    Column("capacity_day", Integer, nullable=True),
    Column("capacity_night", Integer, nullable=True),
    Column("state", String(10), nullable=False),  # accepting | crowded | full | closed
    Column("has", JSON, nullable=False),  # amenity keys (domain.site_status.AMENITIES)
)
Index("ix_event_site_updates_event", event_site_updates.c.event_id, event_site_updates.c.resource_id)
safety_marks = Table(
    "safety_marks",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("event_id", Integer, ForeignKey("safety_events.id", ondelete="CASCADE"), nullable=False),
    Column("person_id", Integer, ForeignKey("persons.id", ondelete="CASCADE"), nullable=False),
    Column("status", String(20), nullable=False),  # domain.persons.STATUSES
    Column("at", DateTime(timezone=True), nullable=False),
    Column("username", String(100), nullable=False),
)
Index("ix_safety_marks_event", safety_marks.c.event_id, safety_marks.c.person_id)

# 「自分の避難場所を知ろう」: a survey per area and hazard, a short code per printed sheet, the
# households' answers (web or paper; free text sealed like the register), and 自治会 tallies.
surveys = Table(
    "surveys",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("city_code", String(5), nullable=False),
    Column("area_kind", String(40), nullable=False),
    Column("area_code", String(100), nullable=False),
    Column("area_name", String(200), nullable=False),
    Column("hazard", String(20), nullable=False),
    Column("chome", JSON, nullable=False),  # the area's 町丁目 names when the survey was made
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(100), nullable=False),
)
survey_sheets = Table(
    "survey_sheets",
    metadata,
    Column("code", String(16), primary_key=True),
    Column("survey_id", Integer, ForeignKey("surveys.id", ondelete="CASCADE"), nullable=False),
    Column("chome", String(100), nullable=False),
)
Index("ix_survey_sheets_survey", survey_sheets.c.survey_id)
survey_answers = Table(
    "survey_answers",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("survey_id", Integer, ForeignKey("surveys.id", ondelete="CASCADE"), nullable=False),
    Column("code", String(16), nullable=True, unique=True),  # one answer per sheet; a new one corrects it
    Column("chome", String(100), nullable=False),
    Column("source", String(10), nullable=False),  # web | paper
    Column("people", Integer, nullable=False),
    Column("knows", String(10), nullable=False),
    Column("alone", String(10), nullable=False),
    Column("needs_help", String(10), nullable=False),
    Column("help_kinds", JSON, nullable=False),
    Column("free_text", LargeBinary, nullable=True),  # sealed (storage.sealing)
    Column("at", DateTime(timezone=True), nullable=False),
    Column("username", String(100), nullable=False),
)
Index("ix_survey_answers_survey", survey_answers.c.survey_id)
TALLY_COLUMNS = (*(f"{q}_{c}" for q, (_, choices) in QUESTIONS.items() for c in choices),
                 *(f"help_{k}" for k in HELP_KINDS))
survey_tallies = Table(
    "survey_tallies",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("survey_id", Integer, ForeignKey("surveys.id", ondelete="CASCADE"), nullable=False),
    Column("chome", String(100), nullable=False),
    Column("source_file", String(300), nullable=False),
    Column("answers", Integer, nullable=False),
    *(Column(name, Integer, nullable=False, default=0) for name in TALLY_COLUMNS),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("username", String(100), nullable=False),
)

# Per-city analysis runs of ``fureai batch``: one row per analysis, city, parameters and data
# version, so that a batch resumes where it stopped and a re-run of the same inputs does nothing.
analysis_runs = Table(
    "analysis_runs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("analysis", String(20), nullable=False),
    Column("city_code", String(5), nullable=False),
    Column("params_key", String(64), nullable=False),  # SHA-256 of the parameters below
    Column("parameters", JSON, nullable=False),
    Column("data_version", String(64), nullable=False),  # SHA-256 of the datasets and when they came
    Column("status", String(10), nullable=False),  # done | failed
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True), nullable=False),
    Column("figures", JSON, nullable=True),  # totals and per-area rows, as the API gives them
    Column("error", Text, nullable=False, default=""),
    UniqueConstraint("analysis", "city_code", "params_key", "data_version", name="uq_analysis_run"),
)

# Population split across the areas of a kind, kept so that a fresh worker (or a command) reads
# it instead of overlaying every mesh cell again. Keyed by the data version, like the in-process
# cache, so any import makes it stale; the next analysis splits again and keeps the new split.
demand_splits = Table(
    "demand_splits",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("area_kind", String(40), nullable=False),
    Column("units", String(20), nullable=False),  # what was asked ("" for the finest loaded)
    Column("measure", String(30), nullable=False),  # what was asked ("" for the default)
    Column("data_version", String(64), nullable=False),
    Column("resolved_measure", String(30), nullable=False),
    Column("unit_type", String(40), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("area_kind", "units", "measure", "data_version", name="uq_demand_split"),
)
demand_split_pieces = Table(
    "demand_split_pieces",
    metadata,
    Column("split_id", Integer, ForeignKey("demand_splits.id", ondelete="CASCADE"), nullable=False),
    Column("area_code", String(100), nullable=False),
    Column("area_name", String(200), nullable=False),
    Column("area_city", String(5), nullable=False),
    Column("area_pref", String(2), nullable=False, default=prefecture_default("area_city"),
           server_default=""),
    Column("weight", Float, nullable=False),
    Column("x", Float, nullable=False),  # the piece's representative point, EPSG:6677 metres
    Column("y", Float, nullable=False),
    postgresql_partition_by="LIST (area_pref)",
)
by_prefecture(demand_split_pieces, "area_pref")
# A city's analysis reads its own pieces of a kept split (revision 0013).
Index("ix_demand_split_pieces_city", demand_split_pieces.c.split_id, demand_split_pieces.c.area_city)

# Sign-in attempts, shared by every worker process: the throttle counts them here.
login_attempts = Table(
    "login_attempts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String(300), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)
Index("ix_login_attempts_key_at", login_attempts.c.key, login_attempts.c.at)

# Child tables first: delete order for a dataset replacement.
DATASET_CHILD_TABLES = (areas, resources, population_units, context_features, networks, city_statistics,
                        site_capacities, site_access, programmes)
