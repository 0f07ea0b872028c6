// Schema as code: generate/apply/check/status on schemas built here, in temp
// folders, so the tests never touch the repository's migrations.
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <functional>

#include "migrate/apply.h"
#include "migrate/check.h"
#include "migrate/cli.h"
#include "migrate/files.h"
#include "migrate/generate.h"
#include "migrate/integrity.h"
#include "migrate/proof.h"
#include "migrate/snapshot.h"
#include "migrate/sql_text.h"
#include "migrate/structure.h"
#include "migrate/target.h"
#include "migrations.h"
#include "schema/ddl.h"
#include "test_support.h"

namespace eventuall {
namespace {

namespace fs = std::filesystem;
using namespace schema;
using migrate::Renames;

// --- helpers ---------------------------------------------------------------------------------

struct TempDir {
  fs::path path;
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "eventuall_migrate_XXXXXX").string();
    REQUIRE(mkdtemp(pattern.data()) != nullptr);
    path = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::string operator/(const std::string& name) const { return (path / name).string(); }
};

void write(const std::string& path, const std::string& text) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

std::string read(const std::string& path) {
  auto text = sqlite::read_file(path);
  REQUIRE(text.ok());
  return *text;
}

// Every file under a folder with its contents: equal listings mean nothing was written.
std::map<std::string, std::string> listing(const fs::path& dir) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) out[e.path().string()] = read(e.path().string());
  }
  return out;
}

// The test schema: a parent referenced with ON DELETE CASCADE, its child, a
// table nothing references, and a view over parent and child.
struct Decl {
  std::vector<Column> parents = {
      id_column(), text("name").required(),
      text("status").required().defaults_to("'draft'").one_of({"draft", "active"}), created_at()};
  std::vector<Index> parent_indexes = {index({"status"})};
  std::vector<Column> children = {
      id_column(), foreign_id("parent_id", "parents", OnDelete::kCascade), text("note")};
  std::vector<Index> child_indexes = {index({"parent_id"})};
  std::vector<Column> logs = {id_column(), text("message").required(),
                              text("level").required().defaults_to("'info'"), created_at()};
  std::vector<Index> log_indexes = {};
  std::vector<std::string> log_checks = {};
  std::string logs_name = "logs";
  std::string parents_name = "parents";
  std::vector<Table> extra_tables;
  std::string view_sql =
      "SELECT p.id AS parent_id, p.name AS parent_name, c.id AS child_id, c.note AS note "
      "FROM parents p JOIN children c ON c.parent_id = p.id";
  bool with_logs = true;

  Schema build() const {
    std::vector<Table> tables;
    tables.emplace_back(parents_name, parents, parent_indexes);
    tables.emplace_back("children", children, child_indexes);
    if (with_logs) tables.emplace_back(logs_name, logs, log_indexes, log_checks);
    for (const auto& t : extra_tables) tables.push_back(t);
    return Schema(sql::Database::kWebapp, std::move(tables),
                  {View{"parent_children_view", view_sql}});
  }
};

// A migrations folder whose 0000_initial.sql is `schema`'s DDL, with its baseline snapshot.
struct Project {
  TempDir tmp;
  std::string dir = tmp / "migrations/webapp";
  std::string db_file = tmp / "local.sqlite";

  explicit Project(const Schema& schema) {
    write(dir + "/0000_initial.sql", "-- initial\n" + schema_ddl(schema));
    auto snap = migrate::write_snapshot(schema, dir);
    REQUIRE_MESSAGE(snap.ok(), (snap.ok() ? "" : snap.error().message()));
    REQUIRE(migrate::write_integrity(dir).ok());
  }

  std::unique_ptr<sqlite::SqliteDatabase> open() {
    auto db = sqlite::SqliteDatabase::open(db_file);
    REQUIRE(db.ok());
    return std::move(db).value();
  }
  std::vector<std::string> apply() {
    auto applied = migrate::apply_pending(db_file, dir);
    REQUIRE_MESSAGE(applied.ok(), (applied.ok() ? "" : applied.error().message()));
    return *applied;
  }
  migrate::Generated generate(const Schema& schema, const std::string& name,
                              const Renames& r = {}) {
    auto g = migrate::generate(schema, dir, name, r);
    REQUIRE_MESSAGE(g.ok(), (g.ok() ? "" : g.error().message()));
    return *g;
  }
  // The database file matches `schema` structurally, and check finds nothing.
  void expect_matches(const Schema& schema) {
    auto db = open();
    auto actual = migrate::read_structure(*db);
    REQUIRE(actual.ok());
    auto expected = migrate::structure_of_script(schema_ddl(schema));
    REQUIRE(expected.ok());
    auto diffs = migrate::compare_structures(*actual, "database", *expected, "schema");
    for (const auto& d : diffs) INFO(d);
    CHECK(diffs.empty());
    auto report = migrate::check_migrations(schema, dir, db_file);
    for (const auto& f : report.failures) FAIL_CHECK(f.problem);
  }
  std::int64_t count(const std::string& sql) {
    auto db = open();
    auto rows = db->query(sql);
    REQUIRE_MESSAGE(rows.ok(), (rows.ok() ? "" : rows.error().message()));
    return rows->rows[0][0].as_integer();
  }
  void exec(const std::string& sql) {
    auto db = open();
    auto s = db->exec_script(sql);
    REQUIRE_MESSAGE(s.ok(), (s.ok() ? "" : s.error().message()));
  }
};

void expect_d1_safe(const std::string& sql) {
  for (const auto& statement : migrate::split_statements(sql)) {
    const std::string first = migrate::lower(migrate::tokenize(statement)[0].text);
    INFO(statement);
    CHECK(first != "begin");
    CHECK(first != "commit");
    CHECK(first != "pragma");
  }
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

const char* kRows = R"sql(
  INSERT INTO parents (id, name) VALUES ('p1', 'one'), ('p2', 'two');
  INSERT INTO children (id, parent_id, note) VALUES ('c1', 'p1', 'a'), ('c2', 'p2', 'b');
  INSERT INTO logs (id, message) VALUES ('l1', 'hello'), ('l2', 'world');
)sql";

// Baseline applied with rows in it, then `after` generated and applied.
migrate::Generated round_trip(Project& project, const Schema& after, const std::string& name,
                              const Renames& renames = {}) {
  project.apply();
  project.exec(kRows);
  auto generated = project.generate(after, name, renames);
  expect_d1_safe(generated.sql);
  CHECK(fs::exists(generated.sql_path));
  CHECK(fs::exists(generated.snapshot_path));
  CHECK(project.apply().size() == 1);
  project.expect_matches(after);
  return generated;
}

void expect_refused(Project& project, const Schema& after, const std::vector<std::string>& says,
                    const Renames& renames = {}) {
  const auto before = listing(project.tmp.path);
  auto g = migrate::generate(after, project.dir, "refused", renames);
  REQUIRE_FALSE(g.ok());
  INFO(g.error().message());
  for (const auto& s : says) CHECK(contains(g.error().message(), s));
  CHECK(listing(project.tmp.path) == before);  // nothing written
}

// --- round trips -----------------------------------------------------------------------------

TEST_CASE("migrate round trip: add a table") {
  Decl d;
  Project project(d.build());
  d.extra_tables.emplace_back(
      "tags",
      std::vector<Column>{id_column(), foreign_id("parent_id", "parents", OnDelete::kCascade),
                          text("label").required()},
      std::vector<Index>{unique_index({"parent_id", "label"})});
  auto g = round_trip(project, d.build(), "add tags");
  CHECK(fs::path(g.sql_path).filename() == "0001_add_tags.sql");
  CHECK(contains(g.sql, "CREATE TABLE tags"));
  CHECK(contains(g.sql, "CREATE UNIQUE INDEX tags_parent_id_label_idx"));
  CHECK(project.count("SELECT count(*) FROM children") == 2);
}

TEST_CASE("migrate round trip: add columns in place") {
  Decl d;
  Project project(d.build());
  d.parents.push_back(text("nickname"));                             // nullable
  d.parents.push_back(integer("rank").required().defaults_to("0"));  // literal default
  d.children.push_back(optional_foreign_id("other_id", "parents", OnDelete::kSetNull));
  auto g = round_trip(project, d.build(), "add columns");
  CHECK(contains(g.sql, "ALTER TABLE parents ADD COLUMN nickname TEXT"));
  CHECK(contains(g.sql, "ALTER TABLE parents ADD COLUMN rank INTEGER NOT NULL DEFAULT 0"));
  CHECK(contains(g.sql, "ALTER TABLE children ADD COLUMN other_id TEXT REFERENCES parents"));
  CHECK_FALSE(contains(g.sql, "__new_"));
  CHECK_FALSE(contains(g.sql, "DROP VIEW"));  // adding columns leaves views alone
  CHECK(project.count("SELECT count(*) FROM children") == 2);
  CHECK(project.count("SELECT sum(rank) FROM parents") == 0);
}

TEST_CASE("migrate round trip: add and drop an index") {
  Decl d;
  Project project(d.build());
  d.parent_indexes = {index({"name"})};  // status index dropped, name index added
  auto g = round_trip(project, d.build(), "indexes");
  CHECK(contains(g.sql, "DROP INDEX parents_status_idx"));
  CHECK(contains(g.sql, "CREATE INDEX parents_name_idx ON parents (name)"));
  CHECK_FALSE(contains(g.sql, "__new_"));
}

TEST_CASE("migrate round trip: rename a column only when asked") {
  Decl d;
  Project project(d.build());
  d.children[2] = text("remark");
  d.view_sql =
      "SELECT p.id AS parent_id, p.name AS parent_name, c.id AS child_id, c.remark AS note "
      "FROM parents p JOIN children c ON c.parent_id = p.id";

  SUBCASE("explicit --rename keeps the values") {
    Renames r;
    r.columns.push_back({"children", "note", "remark"});
    auto g = round_trip(project, d.build(), "rename note", r);
    CHECK(contains(g.sql, "ALTER TABLE children RENAME COLUMN note TO remark"));
    bool warned = false;  // the previous release's code reads `note`
    for (const auto& w : g.warnings)
      warned = warned || (contains(w, "previous release's code reads note") &&
                          contains(w, "expand") && contains(w, "contract"));
    CHECK(warned);
    CHECK(contains(g.sql, "DROP VIEW parent_children_view"));
    CHECK(contains(g.sql, "CREATE VIEW parent_children_view"));
    CHECK(project.count("SELECT count(*) FROM children WHERE remark IS NOT NULL") == 2);
  }
  SUBCASE("without it: refused, naming the data lost and both flags") {
    project.apply();
    expect_refused(project, d.build(),
                   {"drops data", "column children.note and its values", "--drop children.note",
                    "--rename children.note=remark", "expand, deploy, contract"});
  }
  SUBCASE("with --drop: a drop and an add, with a warning naming the flag") {
    project.apply();
    Renames drop;
    drop.drops = {"children.note"};
    auto g = project.generate(d.build(), "replace note", drop);
    CHECK(contains(g.sql, "ALTER TABLE children DROP COLUMN note"));
    CHECK(contains(g.sql, "ALTER TABLE children ADD COLUMN remark TEXT"));
    bool hinted = false;
    for (const auto& w : g.warnings)
      hinted = hinted || contains(w, "--rename children.note=remark");
    CHECK(hinted);
  }
}

TEST_CASE("migrate round trip: rename a table when asked") {
  Decl d;
  Project project(d.build());
  d.logs_name = "events_log";
  Renames r;
  r.tables.push_back({"logs", "events_log"});
  auto g = round_trip(project, d.build(), "rename logs", r);
  CHECK(contains(g.sql, "ALTER TABLE logs RENAME TO events_log"));
  CHECK(project.count("SELECT count(*) FROM events_log") == 2);
}

TEST_CASE("migrate round trip: a changed default rebuilds an unreferenced table") {
  Decl d;
  Project project(d.build());
  d.logs[2] = text("level").required().defaults_to("'debug'");
  auto g = round_trip(project, d.build(), "level default");
  CHECK(contains(g.sql, "CREATE TABLE __new_logs"));
  CHECK(contains(g.sql,
                 "INSERT INTO __new_logs (id, message, level, created_at) SELECT id, message, "
                 "level, created_at FROM logs"));
  CHECK(contains(g.sql, "DROP TABLE logs"));
  CHECK(contains(g.sql, "ALTER TABLE __new_logs RENAME TO logs"));
  CHECK(project.count("SELECT count(*) FROM logs WHERE level = 'info'") ==
        2);  // rows kept as they were
  project.exec("INSERT INTO logs (id, message) VALUES ('l3', 'x')");
  CHECK(project.count("SELECT count(*) FROM logs WHERE level = 'debug'") == 1);
}

TEST_CASE("migrate round trip: a new CHECK and a NOT NULL column with a function default rebuild") {
  Decl d;
  Project project(d.build());
  d.log_checks = {"length(message) > 0"};
  d.logs.push_back(timestamp("seen_at").required().defaults_to("(unixepoch())"));
  auto g = round_trip(project, d.build(), "log checks");
  CHECK(contains(g.sql, "__new_logs"));
  CHECK(project.count("SELECT count(*) FROM logs WHERE seen_at > 0") == 2);
}

TEST_CASE("migrate round trip: a view change drops and recreates the view") {
  Decl d;
  Project project(d.build());
  d.view_sql =
      "SELECT p.id AS parent_id, count(c.id) AS children FROM parents p "
      "LEFT JOIN children c ON c.parent_id = p.id GROUP BY p.id";
  auto g = round_trip(project, d.build(), "view");
  CHECK(contains(g.sql, "DROP VIEW parent_children_view"));
  CHECK(contains(g.sql, "CREATE VIEW parent_children_view AS SELECT p.id AS parent_id, count"));
  CHECK(project.count("SELECT sum(children) FROM parent_children_view") == 2);
}

TEST_CASE("migrate round trip: drop a column and a table") {
  Decl d;
  Project project(d.build());
  d.children.pop_back();  // note
  d.view_sql =
      "SELECT p.id AS parent_id, c.id AS child_id FROM parents p JOIN children c ON c.parent_id = "
      "p.id";
  d.with_logs = false;
  Renames drops;
  drops.drops = {"children.note", "logs"};
  auto g = round_trip(project, d.build(), "drops", drops);
  CHECK(contains(g.sql, "ALTER TABLE children DROP COLUMN note"));
  CHECK(contains(g.sql, "DROP TABLE logs"));
  CHECK(g.warnings.size() >= 2);
  CHECK(project.count("SELECT count(*) FROM children") == 2);
}

TEST_CASE("migrate: dropping an indexed column drops its index first") {
  Decl d;
  Project project(d.build());
  d.parents.erase(d.parents.begin() + 2);  // status, indexed
  d.parent_indexes.clear();
  Renames drop;
  drop.drops = {"parents.status"};
  auto g = round_trip(project, d.build(), "drop status", drop);
  CHECK(g.sql.find("DROP INDEX parents_status_idx") < g.sql.find("DROP COLUMN status"));
}

// --- refusals --------------------------------------------------------------------------------

TEST_CASE("migrate refuses to rebuild a table referenced with ON DELETE CASCADE") {
  Decl d;
  Project project(d.build());
  SUBCASE("changed default") {
    d.parents[2] = text("status").required().defaults_to("'active'").one_of({"draft", "active"});
    expect_refused(
        project, d.build(),
        {"refusing", "parents", "children.parent_id (ON DELETE CASCADE)", "DEFAULT",
         "PRAGMA foreign_keys=OFF", "how to proceed", "keep the old DEFAULT", "ADD COLUMN"});
  }
  SUBCASE("changed enum values") {
    d.parents[2] =
        text("status").required().defaults_to("'draft'").one_of({"draft", "active", "archive"});
    expect_refused(project, d.build(), {"parents", "CASCADE", "allowed values"});
  }
  SUBCASE("a NOT NULL column whose default is not a literal") {
    d.parents.push_back(timestamp("updated_at").required().defaults_to("(unixepoch())"));
    expect_refused(project, d.build(), {"parents", "non-constant DEFAULT", "CASCADE"});
  }
  SUBCASE("a new table CHECK") {
    Decl e;
    std::vector<Table> tables;
    tables.emplace_back("parents", e.parents, e.parent_indexes,
                        std::vector<std::string>{"length(name) > 0"});
    tables.emplace_back("children", e.children, e.child_indexes);
    tables.emplace_back("logs", e.logs);
    expect_refused(project,
                   Schema(sql::Database::kWebapp, std::move(tables),
                          {View{"parent_children_view", e.view_sql}}),
                   {"parents", "CHECK", "CASCADE"});
  }
}

TEST_CASE("migrate refuses rebuilds that SET NULL or RESTRICT would break, and self references") {
  SUBCASE("SET NULL") {
    Decl d;
    d.children[1] = optional_foreign_id("parent_id", "parents", OnDelete::kSetNull);
    Project project(d.build());
    d.parents[1] = text("name").required().defaults_to("'x'");
    expect_refused(project, d.build(), {"SET NULL", "clears every reference"});
  }
  SUBCASE("RESTRICT") {
    Decl d;
    d.children[1] = foreign_id("parent_id", "parents", OnDelete::kRestrict);
    Project project(d.build());
    d.parents[1] = text("name").required().defaults_to("'x'");
    expect_refused(project, d.build(), {"RESTRICT", "fails as soon as"});
  }
  SUBCASE("a table referencing itself") {
    Decl d;
    d.logs.push_back(optional_foreign_id("parent_log_id", "logs", OnDelete::kCascade));
    Project project(d.build());
    d.logs[2] = text("level").required().defaults_to("'debug'");
    expect_refused(project, d.build(), {"logs.parent_log_id (ON DELETE CASCADE)"});
  }
}

// --- case 1 of issue 16: a dropped child of a rebuilt parent ----------------------------------

// venues <- venue_bookings (CASCADE) <- booking_notes (CASCADE). The change
// retires venue_bookings, keeps booking_notes (its booking_id no longer a
// reference) and changes the type of a venues column (a rebuild).
Schema venue_schema(bool after) {
  std::vector<Table> tables;
  tables.emplace_back("venues",
                      std::vector<Column>{id_column(), text("name").required(),
                                          after ? real("capacity") : integer("capacity")});
  if (!after) {
    tables.emplace_back(
        "venue_bookings",
        std::vector<Column>{id_column(), foreign_id("venue_id", "venues", OnDelete::kCascade),
                            text("who")});
  }
  tables.emplace_back(
      "booking_notes",
      std::vector<Column>{id_column(),
                          after ? text("booking_id")
                                : foreign_id("booking_id", "venue_bookings", OnDelete::kCascade),
                          text("note")});
  return Schema(sql::Database::kWebapp, std::move(tables), {});
}

TEST_CASE("migrate regression: retiring a table whose parent is rebuilt keeps the kept rows") {
  Project project(venue_schema(false));
  project.apply();
  project.exec(R"sql(
    INSERT INTO venues (id, name, capacity) VALUES ('v1', 'hall', 10), ('v2', 'room', 5);
    INSERT INTO venue_bookings (id, venue_id, who) VALUES ('b1', 'v1', 'a'), ('b2', 'v2', 'b');
    INSERT INTO booking_notes (id, booking_id, note) VALUES
      ('n1', 'b1', 'x'), ('n2', 'b1', 'y'), ('n3', 'b2', 'z'),
      ('n4', 'b2', 'x'), ('n5', 'b1', 'y'), ('n6', 'b2', 'z');
  )sql");
  Renames retire;
  retire.drops = {"venue_bookings"};
  auto g = project.generate(venue_schema(true), "retire bookings", retire);
  INFO(g.sql);
  // booking_notes loses its reference before venue_bookings goes, and
  // venue_bookings goes before its parent venues is dropped for the rebuild.
  const auto notes_rebuilt = g.sql.find("ALTER TABLE __new_booking_notes RENAME TO booking_notes");
  const auto bookings_dropped = g.sql.find("DROP TABLE venue_bookings");
  const auto venues_dropped = g.sql.find("DROP TABLE venues");
  REQUIRE(notes_rebuilt != std::string::npos);
  REQUIRE(bookings_dropped != std::string::npos);
  REQUIRE(venues_dropped != std::string::npos);
  CHECK(notes_rebuilt < bookings_dropped);
  CHECK(bookings_dropped < venues_dropped);
  CHECK(project.apply().size() == 1);
  CHECK(project.count("SELECT count(*) FROM booking_notes") == 6);
  CHECK(project.count("SELECT count(*) FROM venues") == 2);
  CHECK(project.count("SELECT count(*) FROM booking_notes WHERE booking_id = 'b1'") == 3);
  project.expect_matches(venue_schema(true));
}

TEST_CASE("migrate refuses to rebuild a table that a kept table's new version references") {
  Decl d;
  Project project(d.build());
  // logs gains a reference to parents (a rebuild of logs, nothing references
  // it), while parents itself is rebuilt: rebuilt first, the new logs would
  // lose its rows to DROP TABLE parents.
  d.logs.push_back(foreign_id("parent_id", "parents", OnDelete::kCascade).defaults_to("'p1'"));
  d.children[1] = text("parent_id").required();  // children stops referencing parents
  d.parents[1] = text("name").required().defaults_to("'x'");
  expect_refused(project, d.build(), {"parents", "logs.parent_id (ON DELETE CASCADE)"});
}

TEST_CASE("migrate proof: a migration that deletes rows of a kept table is refused") {
  Decl d;
  Project project(d.build());
  const Schema s = d.build();
  auto db = sqlite::SqliteDatabase::open(":memory:");
  REQUIRE(db.ok());
  REQUIRE(sqlite::apply_migrations(**db, project.dir).ok());
  REQUIRE(migrate::populate(**db, s).ok());
  auto counts = migrate::count_rows(**db, s);
  REQUIRE(counts.ok());
  for (const auto& [table_name, n] : counts->rows) {
    const std::string table = table_name;  // clang 14: no structured binding in INFO
    INFO(table);
    CHECK(n == 3);  // every table filled, children pointing at real parents
  }
  CHECK(counts->values.at("children.note") == 3);

  migrate::Diff keep_all;
  for (const auto& t : s.tables()) {
    keep_all.kept_tables[t.name()] = t.name();
    for (const auto& c : t.columns())
      keep_all.kept_columns.push_back({t.name(), c.name, t.name(), c.name});
  }
  CHECK(migrate::prove_on_populated(s, project.dir, "SELECT 1;", keep_all).ok());
  // DROP TABLE parents cascades into children, which the migration keeps.
  auto cascade = migrate::prove_on_populated(
      s, project.dir,
      "DROP VIEW parent_children_view; CREATE TABLE __new_parents AS SELECT * FROM parents;"
      "DROP TABLE parents; ALTER TABLE __new_parents RENAME TO parents;",
      keep_all);
  REQUIRE_FALSE(cascade.ok());
  CHECK(cascade.error().code() == ErrorCode::kConflict);
  CHECK(contains(cascade.error().message(), "table children: 3 rows before, 0 after"));
  auto cleared =
      migrate::prove_on_populated(s, project.dir, "UPDATE children SET note = NULL;", keep_all);
  REQUIRE_FALSE(cleared.ok());
  CHECK(contains(cleared.error().message(), "column children.note: 3 values before, 0 after"));
  // Meant drops are not losses.
  migrate::Diff drop_logs = keep_all;
  drop_logs.kept_tables.erase("logs");
  drop_logs.dropped_tables.push_back("logs");
  CHECK(migrate::prove_on_populated(s, project.dir, "DROP TABLE logs;", drop_logs).ok());
}

TEST_CASE("migrate proof: every table of the repository's schemas can be populated") {
  for (const auto* s : {&webapp_schema(), &workers_schema()}) {
    const std::string db(sql::database_name(s->database()));
    auto database = sqlite::SqliteDatabase::open(":memory:");
    REQUIRE(database.ok());
    REQUIRE(sqlite::apply_migrations(**database, testing::source_path("migrations/" + db)).ok());
    auto filled = migrate::populate(**database, *s);
    REQUIRE_MESSAGE(filled.ok(), (filled.ok() ? "" : filled.error().message()));
    auto counts = migrate::count_rows(**database, *s);
    REQUIRE(counts.ok());
    for (const auto& t : s->tables()) {
      INFO(db << "." << t.name());
      CHECK(counts->rows.at(t.name()) >= 3);  // seeded rows (0001_rbac_defaults) come on top
    }
  }
}

TEST_CASE("migrate: reordering an enum's allowed values is no change (issue 23)") {
  Decl d;
  Project project(d.build());
  d.parents[2] = text("status").required().defaults_to("'draft'").one_of({"active", "draft"});
  auto g = migrate::generate(d.build(), project.dir, "reorder");
  REQUIRE_FALSE(g.ok());
  CHECK(contains(g.error().message(), "nothing changed"));
  auto report = migrate::check_migrations(d.build(), project.dir, std::nullopt);
  for (const auto& f : report.failures) FAIL_CHECK(f.problem);
  // A real change of the set still is one (and refused here: parents is referenced).
  d.parents[2] = text("status").required().defaults_to("'draft'").one_of({"active", "gone"});
  CHECK_FALSE(migrate::generate(d.build(), project.dir, "changed").ok());
}

TEST_CASE("migrate refuses destructive changes unless --drop names them") {
  Decl d;
  Project project(d.build());
  d.with_logs = false;
  SUBCASE("a dropped table without the flag") {
    expect_refused(project, d.build(), {"table logs and all its rows", "--drop logs"});
  }
  SUBCASE("a flag that names nothing dropped") {
    Renames r;
    r.drops = {"logs", "parents.nope"};
    expect_refused(project, d.build(), {"--drop parents.nope", "drops no table or column"}, r);
  }
}

TEST_CASE("migrate generate CLI: exits 1 on a drop without --drop, 0 with it") {
  // The repository's webapp migrations plus a table `retired` that the C++
  // schema no longer declares: generate would drop it.
  TempDir tmp;
  const std::string dir = tmp / "webapp";
  fs::create_directories(dir);
  for (const auto& e : fs::directory_iterator(testing::source_path("migrations/webapp"))) {
    if (e.path().extension() == ".sql")
      fs::copy_file(e.path(), dir + "/" + e.path().filename().string());
  }
  auto folder = migrate::scan_folder(dir);
  REQUIRE(folder.ok());
  const int next = migrate::next_number(*folder);
  write(dir + "/" + migrate::numbered_name(next, "retired"),
        "CREATE TABLE retired (\n  id TEXT PRIMARY KEY NOT NULL\n) STRICT;\n");
  std::vector<Table> tables = webapp_schema().tables();
  tables.emplace_back("retired", std::vector<Column>{id_column()});
  REQUIRE(
      migrate::write_snapshot(Schema(sql::Database::kWebapp, tables, webapp_schema().views()), dir)
          .ok());
  REQUIRE(migrate::write_integrity(dir).ok());
  const auto before = listing(tmp.path);
  CHECK(migrate::run_migrate_command({"generate", "webapp", "retire", "--dir", dir}) == 1);
  CHECK(listing(tmp.path) == before);
  CHECK(migrate::run_migrate_command(
            {"generate", "webapp", "retire", "--dir", dir, "--drop", "retired"}) == 0);
  CHECK(fs::exists(dir + "/" + migrate::numbered_name(next + 1, "retire")));
  CHECK(migrate::check_migrations(webapp_schema(), dir, std::nullopt).failures.empty());
}

TEST_CASE("migrate: NOT NULL on an existing column needs a DEFAULT or --backfill") {
  Decl d;
  Project project(d.build());
  project.apply();
  project.exec(kRows);
  project.exec("UPDATE logs SET message = message");  // logs.message is NOT NULL already
  d.children[2] = text("note").required();            // note: nullable today
  SUBCASE("refused without either") {
    expect_refused(
        project, d.build(),
        {"children.note becomes NOT NULL and has no DEFAULT", "--backfill children.note="});
  }
  SUBCASE("a --backfill expression over the old row fills the NULLs") {
    project.exec("INSERT INTO children (id, parent_id) VALUES ('c3', 'p1')");  // note NULL
    Renames r;
    r.backfills["children.note"] = "'from ' || parent_id";
    // children is referenced by nothing, so it can be rebuilt.
    auto g = project.generate(d.build(), "note required", r);
    CHECK(contains(g.sql, "coalesce(note, ('from ' || parent_id))"));
    CHECK(project.apply().size() == 1);
    CHECK(project.count("SELECT count(*) FROM children") == 3);
    CHECK(project.count("SELECT count(*) FROM children WHERE note = 'from p1'") == 1);
  }
  SUBCASE("a --backfill that matches no such column is refused") {
    Renames r;
    r.backfills["children.note"] = "''";
    r.backfills["logs.message"] = "''";
    expect_refused(project, d.build(), {"--backfill logs.message", "no column of that name"}, r);
  }
  SUBCASE("a new NOT NULL column without a DEFAULT, with --backfill") {
    Decl e;
    e.logs.push_back(text("source").required());
    Renames r;
    r.backfills["logs.source"] = "'imported: ' || message";
    auto g = project.generate(e.build(), "log source", r);
    CHECK(project.apply().size() == 1);
    CHECK(project.count("SELECT count(*) FROM logs WHERE source = 'imported: hello'") == 1);
  }
}

TEST_CASE("migrate refuses a NOT NULL column without a default, and unclear renames") {
  Decl d;
  Project project(d.build());
  SUBCASE("NOT NULL without default") {
    d.logs.push_back(text("source").required());
    expect_refused(project, d.build(), {"logs.source", "NOT NULL without a DEFAULT", "backfill"});
  }
  SUBCASE("rename of a column that does not exist") {
    d.children[2] = text("remark");
    Renames r;
    r.columns.push_back({"children", "nope", "remark"});
    expect_refused(project, d.build(), {"no column children.nope"}, r);
  }
}

TEST_CASE("migrate generate writes nothing when nothing changed") {
  Decl d;
  Project project(d.build());
  const auto before = listing(project.tmp.path);
  auto g = migrate::generate(d.build(), project.dir, "noop");
  REQUIRE_FALSE(g.ok());
  CHECK(contains(g.error().message(), "nothing changed"));
  CHECK(listing(project.tmp.path) == before);
  // Order and spelling are not changes.
  std::rotate(d.logs.begin(), d.logs.begin() + 1, d.logs.end());
  d.view_sql =
      "select p.id as parent_id, p.name as parent_name, c.id as child_id, c.note as note "
      "from parents p join children c on c.parent_id = p.id";
  CHECK_FALSE(migrate::generate(d.build(), project.dir, "noop").ok());
}

TEST_CASE("migrate generate refuses when the migrations no longer build the snapshot") {
  Decl d;
  Project project(d.build());
  write(project.dir + "/0001_by_hand.sql", "ALTER TABLE logs ADD COLUMN extra TEXT;\n");
  d.parents.push_back(text("nickname"));
  // First the integrity file: the hand-written file is not recorded yet.
  auto unrecorded = migrate::generate(d.build(), project.dir, "more");
  REQUIRE_FALSE(unrecorded.ok());
  CHECK(contains(unrecorded.error().message(), "0001_by_hand.sql is not in the integrity file"));
  REQUIRE(migrate::write_integrity(project.dir).ok());
  auto g = migrate::generate(d.build(), project.dir, "more");
  REQUIRE_FALSE(g.ok());
  CHECK(
      contains(g.error().message(), "do not build the schema recorded in meta/0000_snapshot.json"));
  CHECK(contains(g.error().message(), "logs column extra"));
}

TEST_CASE("migrate snapshot records a hand-written migration") {
  Decl d;
  Project project(d.build());
  d.logs.push_back(text("extra"));
  write(project.dir + "/0001_by_hand.sql",
        "ALTER TABLE logs ADD COLUMN extra TEXT;\nUPDATE logs SET extra = 'x';\n");
  auto report = migrate::check_migrations(d.build(), project.dir, std::nullopt);
  REQUIRE(report.failures.size() == 2);
  CHECK(contains(report.failures[0].problem, "0001_by_hand.sql is not in the integrity file"));
  CHECK(contains(report.failures[0].fix, "eventuall sum webapp"));
  CHECK(contains(report.failures[1].fix, "eventuall snapshot webapp"));
  REQUIRE(migrate::write_snapshot(d.build(), project.dir).ok());
  REQUIRE(migrate::write_integrity(project.dir).ok());
  CHECK(fs::exists(project.dir + "/meta/0001_snapshot.json"));
  CHECK(migrate::check_migrations(d.build(), project.dir, std::nullopt).failures.empty());
}

// --- check -----------------------------------------------------------------------------------

TEST_CASE("migrate check: a schema change without its migration") {
  Decl d;
  Project project(d.build());
  d.parents.push_back(text("nickname"));
  auto report = migrate::check_migrations(d.build(), project.dir, std::nullopt);
  REQUIRE(report.failures.size() == 2);
  CHECK(contains(report.failures[0].problem, "do not build the C++ schema"));
  CHECK(contains(report.failures[0].problem, "parents column nickname"));
  CHECK(contains(report.failures[0].fix, "eventuall generate webapp <name>"));
  CHECK(contains(report.failures[1].fix, "eventuall generate webapp <name>"));
}

TEST_CASE("migrate check: pending migrations and a tampered applied file") {
  Decl d;
  Project project(d.build());
  project.apply();
  d.parents.push_back(text("nickname"));
  auto g = project.generate(d.build(), "nickname");

  auto report = migrate::check_migrations(d.build(), project.dir, project.db_file);
  REQUIRE(report.failures.size() == 1);
  CHECK(contains(report.failures[0].problem, "pending on"));
  CHECK(contains(report.failures[0].problem, "0001_nickname.sql"));
  CHECK(contains(report.failures[0].fix, "eventuall apply webapp"));

  project.apply();
  CHECK(migrate::check_migrations(d.build(), project.dir, project.db_file).failures.empty());

  // Edit the applied file: same schema effect, different bytes.
  write(g.sql_path, read(g.sql_path) + "-- edited after it ran\n");
  report = migrate::check_migrations(d.build(), project.dir, project.db_file);
  REQUIRE(report.failures.size() == 2);
  // Without a database, by the integrity file; on the target, by its checksum.
  CHECK(contains(report.failures[0].problem, "0001_nickname.sql was edited after it was recorded"));
  CHECK(contains(report.failures[1].problem, "0001_nickname.sql changed since it was applied"));
  CHECK(contains(report.failures[1].fix, "new migration"));
  CHECK(migrate::check_migrations(d.build(), project.dir, std::nullopt).failures.size() == 1);
}

// The failures of check without a database, joined for contains().
std::string integrity_failures(const Schema& schema, const std::string& dir) {
  std::string all;
  for (const auto& f : migrate::check_migrations(schema, dir, std::nullopt).failures)
    all += f.problem + " | fix: " + f.fix + "\n";
  return all;
}

TEST_CASE("migrate integrity file: check names the edited, deleted, renamed or inserted file") {
  Decl d;
  Project project(d.build());
  d.parents.push_back(text("nickname"));
  project.generate(d.build(), "nickname");
  d.logs.push_back(text("source"));
  project.generate(d.build(), "source");
  const Schema s = d.build();
  const std::string one = project.dir + "/0001_nickname.sql";
  const std::string two = project.dir + "/0002_source.sql";
  REQUIRE(integrity_failures(s, project.dir).empty());  // generate recorded both
  const std::string sum = read(migrate::integrity_path(project.dir));
  CHECK(contains(sum, "0001_nickname.sql " + *migrate::file_sha256(one)));
  const std::string one_text = read(one), two_text = read(two);

  SUBCASE("an edit") {
    write(one, one_text + "UPDATE parents SET nickname = name;\n");
    const auto all = integrity_failures(s, project.dir);
    INFO(all);
    CHECK(contains(all, "0001_nickname.sql was edited after it was recorded"));
    CHECK(contains(all, "put the change in a new migration"));
  }
  SUBCASE("a deletion") {
    fs::remove(one);
    fs::remove(project.dir + "/meta/0001_snapshot.json");
    CHECK(contains(integrity_failures(s, project.dir),
                   "0001_nickname.sql is recorded in the integrity file but was deleted"));
  }
  SUBCASE("a reorder") {
    write(one, two_text);
    write(two, one_text);
    const auto all = integrity_failures(s, project.dir);
    INFO(all);
    CHECK(contains(all,
                   "0001_nickname.sql now holds other bytes, and 0002_source.sql holds what "
                   "was recorded for 0001_nickname.sql"));
  }
  SUBCASE("a rename") {
    fs::rename(two, project.dir + "/0002_log_source.sql");
    const auto all = integrity_failures(s, project.dir);
    INFO(all);
    CHECK(contains(all, "0002_source.sql was renamed to 0002_log_source.sql"));
    CHECK(contains(all, "git mv"));
  }
  SUBCASE("an insertion before the last recorded file") {
    write(project.dir + "/0001_other_branch.sql", "UPDATE logs SET level = 'info';\n");
    const auto all = integrity_failures(s, project.dir);
    INFO(all);
    CHECK(contains(all,
                   "0001_other_branch.sql is not in the integrity file and sorts before the "
                   "last recorded migration 0002_source.sql"));
    CHECK_FALSE(
        contains(all, "git mv " + project.dir + "/0001_other_branch.sql"));  // no renumbering
    CHECK(contains(all, "keep every recorded file as it is"));
    CHECK(contains(all, "0003_<name>.sql"));
  }
  SUBCASE("a hand edit of the integrity file itself") {
    write(migrate::integrity_path(project.dir),
          sum + "0003_more.sql " + std::string(64, 'a') + "\n");
    CHECK(contains(integrity_failures(s, project.dir), "does not match its own total"));
  }
  SUBCASE("generate refuses to write over a mismatch") {
    write(one, one_text + "-- edited\n");
    d.logs.push_back(text("more"));
    expect_refused(project, d.build(), {"differ from", "0001_nickname.sql was edited"});
  }
}

TEST_CASE("migrate check --target: says how many checksums it verified (issue 16, case 7)") {
  Decl d;
  Project project(d.build());
  {
    // Applied the way wrangler does: names recorded, no checksum.
    auto db = project.open();
    REQUIRE(db->exec_script(read(project.dir + "/0000_initial.sql")).ok());
    REQUIRE(db->exec_script(sqlite::kD1MigrationsTableSql).ok());
    REQUIRE(db->exec_script("INSERT INTO d1_migrations (name) VALUES ('0000_initial.sql')").ok());
  }
  auto report = migrate::check_migrations(d.build(), project.dir, project.db_file);
  CHECK(report.failures.empty());
  CHECK(report.applied == 1);
  CHECK(report.checksums_verified == 0);
  REQUIRE(report.notes.size() == 1);
  CHECK(contains(report.notes[0], "vouched for by the integrity file only"));
  // The CLI's ok line says it: none of the 1 was checked against a checksum there.
  const std::string summary = migrate::target_summary(report, project.db_file);
  CHECK(contains(summary,
                 "has all 1 migration(s) applied, 0 of them checked against a checksum "
                 "recorded there (the others, applied by wrangler, only against the "
                 "integrity file)"));
  CHECK_FALSE(contains(summary, "unchanged"));
}

TEST_CASE("migrate check --target refuses a renamed applied file") {
  Decl d;
  Project project(d.build());
  d.parents.push_back(text("nickname"));
  auto g = project.generate(d.build(), "nickname");
  project.apply();
  fs::rename(g.sql_path, project.dir + "/0001_add_nickname.sql");
  auto report = migrate::check_migrations(d.build(), project.dir, project.db_file);
  std::string all;
  for (const auto& f : report.failures) all += f.problem + " | " + f.fix + "\n";
  INFO(all);
  CHECK(contains(all, "0001_nickname.sql is applied to " + project.db_file +
                          " and now appears renamed to 0001_add_nickname.sql"));
  CHECK(contains(all, "run the same migration twice"));
}

TEST_CASE("migrate check --wrangler-list: the remote form, with the integrity file") {
  Decl d;
  Project project(d.build());
  d.parents.push_back(text("nickname"));
  project.generate(d.build(), "nickname");
  auto none = migrate::check_migrations_listed(d.build(), project.dir, {});
  CHECK(none.failures.empty());
  CHECK(none.applied == 2);
  REQUIRE(none.notes.size() == 1);
  CHECK(contains(none.notes[0], "D1 keeps no checksums"));
  auto pending = migrate::check_migrations_listed(d.build(), project.dir, {"0001_nickname.sql"});
  REQUIRE(pending.failures.size() == 1);
  CHECK(contains(pending.failures[0].problem, "pending on"));
  CHECK(contains(pending.failures[0].fix, "--remote"));
  // 0000 pending while 0001 is applied: out of order, never "rename it".
  auto below = migrate::check_migrations_listed(d.build(), project.dir, {"0000_initial.sql"});
  std::string all;
  for (const auto& f : below.failures) all += f.problem + " | " + f.fix + "\n";
  INFO(all);
  CHECK(contains(all, "0000_initial.sql is pending on"));
  CHECK(contains(all, "do not rename 0000_initial.sql"));
  // An edited file fails with no database at all.
  write(project.dir + "/0001_nickname.sql",
        "-- edited\n" + read(project.dir + "/0001_nickname.sql"));
  CHECK(migrate::check_migrations_listed(d.build(), project.dir, {}).failures.size() == 1);
}

TEST_CASE("migrate check: a target changed by hand drifts from its migrations") {
  Decl d;
  Project project(d.build());
  project.apply();
  project.exec("CREATE INDEX logs_message_idx ON logs (message)");
  auto report = migrate::check_migrations(d.build(), project.dir, project.db_file);
  REQUIRE(report.failures.size() == 1);
  CHECK(contains(report.failures[0].problem, "differ from what its applied migrations build"));
  CHECK(contains(report.failures[0].problem, "logs_message_idx"));
}

TEST_CASE("migrate check: bad names, duplicate numbers, gaps and transaction statements") {
  Decl d;
  Project project(d.build());
  write(project.dir + "/0001_a.sql", "SELECT 1;\n");
  write(project.dir + "/0001_b.sql", "SELECT 2;\n");
  write(project.dir + "/0003_c.sql", "BEGIN TRANSACTION;\nSELECT 3;\nCOMMIT;\n");
  write(project.dir + "/add_things.sql", "SELECT 4;\n");
  write(project.dir + "/README.md", "not a migration\n");
  auto folder = migrate::scan_folder(project.dir);
  REQUIRE(folder.ok());
  std::string all;
  for (const auto& p : folder->problems) all += p.problem + " | " + p.fix + "\n";
  INFO(all);
  CHECK(contains(all, "bad migration file name add_things.sql"));
  CHECK(contains(all, "duplicate migration number 0001: 0001_a.sql, 0001_b.sql"));
  CHECK(contains(all, "do not rename a file a database may have applied"));
  CHECK(contains(all, "`eventuall generate <db> b` (it writes 0004_b.sql)"));
  CHECK(contains(all, "jump from 0001 to 0003"));
  CHECK(contains(all, "0003_c.sql contains `BEGIN TRANSACTION`"));
  CHECK(contains(all, "0003_c.sql contains `COMMIT`"));
  CHECK_FALSE(contains(all, "README"));
  CHECK(migrate::check_migrations(d.build(), project.dir, std::nullopt).failures.size() >= 5);
  // apply refuses such a folder outright
  CHECK_FALSE(migrate::plan_apply(*folder, {}).ok());
}

TEST_CASE("migrate check: a pending migration numbered below an applied one") {
  Decl d;
  Project project(d.build());
  write(project.dir + "/0002_later.sql", "CREATE TABLE t2 (id TEXT PRIMARY KEY) STRICT;\n");
  write(project.dir + "/0001_earlier.sql", "SELECT 1;\n");
  {
    // Applied 0000 and 0002 only, as after a merge that slipped 0001 in.
    auto db = project.open();
    REQUIRE(db->exec_script(read(project.dir + "/0000_initial.sql")).ok());
    REQUIRE(db->exec_script(read(project.dir + "/0002_later.sql")).ok());
    REQUIRE(db->exec_script(sqlite::kD1MigrationsTableSql).ok());
    REQUIRE(
        db->exec_script(
              "INSERT INTO d1_migrations (name) VALUES ('0000_initial.sql'), ('0002_later.sql')")
            .ok());
  }
  auto report = migrate::check_migrations(d.build(), project.dir, project.db_file);
  std::string all;
  for (const auto& f : report.failures) all += f.problem + " | " + f.fix + "\n";
  INFO(all);
  CHECK(contains(all, "0001_earlier.sql is pending on"));
  CHECK(contains(all, "the later 0002_later.sql is already applied"));
  CHECK(contains(all, "0003_earlier.sql"));      // the suggested new number
  CHECK(contains(all, "no checksum") == false);  // notes are not failures
  CHECK_FALSE(report.notes.empty());
}

// --- apply -----------------------------------------------------------------------------------

TEST_CASE("migrate apply: a failing migration leaves no partial state and stops the rest") {
  Decl d;
  Project project(d.build());
  write(project.dir + "/0001_half.sql",
        "CREATE TABLE half (id TEXT PRIMARY KEY) STRICT;\n"
        "INSERT INTO half (id) VALUES ('a');\n"
        "INSERT INTO no_such_table (id) VALUES ('b');\n");
  write(project.dir + "/0002_after.sql", "CREATE TABLE after_it (id TEXT PRIMARY KEY) STRICT;\n");
  auto applied = migrate::apply_pending(project.db_file, project.dir);
  REQUIRE_FALSE(applied.ok());
  CHECK(contains(applied.error().message(), "0001_half.sql"));
  CHECK(contains(applied.error().message(), "no_such_table"));
  auto state = migrate::read_applied_state(project.db_file);
  REQUIRE(state.ok());
  CHECK(state->applied == std::vector<std::string>{"0000_initial.sql"});
  CHECK(state->checksums.size() == 1);
  CHECK(project.count("SELECT count(*) FROM sqlite_master WHERE name IN ('half', 'after_it')") ==
        0);
}

TEST_CASE("migrate apply: records names as wrangler does, plus checksums") {
  Decl d;
  Project project(d.build());
  CHECK(project.apply() == std::vector<std::string>{"0000_initial.sql"});
  CHECK(project.apply().empty());
  auto db = project.open();
  auto rows = db->query("SELECT sql AS sql FROM sqlite_master WHERE name = 'd1_migrations'");
  REQUIRE(rows.ok());
  CHECK(rows->rows[0][0].as_text() ==
        "CREATE TABLE d1_migrations(\n\t\tid         INTEGER PRIMARY KEY AUTOINCREMENT,\n\t\tname  "
        "     "
        "TEXT UNIQUE,\n\t\tapplied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL\n)");
  auto sums = db->query("SELECT name AS name, sha256 AS sha256 FROM eventuall_migration_checksums");
  REQUIRE(sums.ok());
  REQUIRE(sums->size() == 1);
  CHECK(sums->rows[0][1].as_text() == *migrate::file_sha256(project.dir + "/0000_initial.sql"));
}

TEST_CASE("migrate apply --dry-run prints the plan and writes nothing") {
  Decl d;
  Project project(d.build());
  // A missing file stays missing.
  CHECK(migrate::run_migrate_command(
            {"apply", "webapp", project.db_file, "--dry-run", "--dir", project.dir}) == 0);
  CHECK_FALSE(fs::exists(project.db_file));
  // An existing one keeps its bytes.
  project.apply();
  d.parents.push_back(text("nickname"));
  project.generate(d.build(), "nickname");
  const auto before = listing(project.tmp.path);
  auto folder = migrate::scan_folder(project.dir);
  auto state = migrate::read_applied_state(project.db_file);
  REQUIRE(folder.ok());
  REQUIRE(state.ok());
  auto plan = migrate::plan_apply(*folder, *state);
  REQUIRE(plan.ok());
  REQUIRE(plan->pending.size() == 1);
  CHECK(plan->pending[0].name == "0001_nickname.sql");
  CHECK(plan->pending[0].statements == 1);
  CHECK(migrate::run_migrate_command(
            {"apply", "webapp", project.db_file, "--dry-run", "--dir", project.dir}) == 0);
  CHECK(listing(project.tmp.path) == before);
}

TEST_CASE("migrate seed: idempotent seeds run twice change nothing; others are refused") {
  Decl d;
  Project project(d.build());
  project.apply();
  const std::string good = project.tmp / "seeds/good.sql";
  write(good, "INSERT OR IGNORE INTO parents (id, name) VALUES ('s1', 'seeded');\n");
  REQUIRE(migrate::apply_seed(project.db_file, good).ok());
  REQUIRE(migrate::apply_seed(project.db_file, good).ok());
  CHECK(project.count("SELECT count(*) FROM parents") == 1);

  const std::string bad = project.tmp / "seeds/bad.sql";
  write(bad,
        "INSERT OR IGNORE INTO parents (id, name) VALUES ('s2', 'x');\n"
        "UPDATE parents SET name = name || '!' WHERE id = 's1';\n");
  auto s = migrate::apply_seed(project.db_file, bad);
  REQUIRE_FALSE(s.ok());
  CHECK(contains(s.error().message(), "not idempotent"));
  CHECK(project.count("SELECT count(*) FROM parents") == 1);  // rolled back
}

// --- status and the pieces -------------------------------------------------------------------

TEST_CASE("migrate status: parses `wrangler d1 migrations list`") {
  const std::string pending_table =
      "\n \xe2\x9b\x85\xef\xb8\x8f wrangler 4.86.0\n"
      "Resource location: local \n\nMigrations to be applied:\n"
      "\xe2\x94\x8c\xe2\x94\x80\xe2\x94\x80\xe2\x94\x90\n"
      "\xe2\x94\x82 Name              \xe2\x94\x82\n"
      "\xe2\x94\x9c\xe2\x94\x80\xe2\x94\x80\xe2\x94\xa4\n"
      "\xe2\x94\x82 0001_x.sql        \xe2\x94\x82\n"
      "\xe2\x94\x82 0002_y_z.sql      \xe2\x94\x82\n"
      "\xe2\x94\x94\xe2\x94\x80\xe2\x94\x80\xe2\x94\x98\n";
  auto names = migrate::parse_wrangler_list(pending_table);
  REQUIRE(names.ok());
  CHECK(*names == std::vector<std::string>{"0001_x.sql", "0002_y_z.sql"});
  auto none = migrate::parse_wrangler_list(
      "Resource location: local\n\xe2\x9c\x85 No migrations to apply!\n");
  REQUIRE(none.ok());
  CHECK(none->empty());
  CHECK_FALSE(migrate::parse_wrangler_list("\xe2\x9c\x98 [ERROR] Couldn't find a D1 DB").ok());
}

TEST_CASE("migrate status: finds the database in a D1 state folder by its tables") {
  Decl d;
  Project project(d.build());
  const std::string folder = project.tmp / "state/v3/d1/miniflare-D1DatabaseObject";
  fs::create_directories(folder);
  write(folder + "/metadata.sqlite", "");
  {
    auto other = sqlite::SqliteDatabase::open(folder + "/aaaa.sqlite");
    REQUIRE(other.ok());
    REQUIRE((*other)->exec_script("CREATE TABLE cloudcaster_sessions (id TEXT PRIMARY KEY)").ok());
  }
  REQUIRE(migrate::apply_pending(folder + "/bbbb.sqlite", project.dir).ok());
  auto file = migrate::resolve_target(project.tmp / "state", d.build());
  REQUIRE(file.ok());
  CHECK(fs::path(*file).filename() == "bbbb.sqlite");
  CHECK(
      migrate::resolve_target(project.tmp / "state", d.build(), std::string("x.sqlite")).value() ==
      "x.sqlite");
}

TEST_CASE("migrate structure: ALTER-written SQL compares equal; real differences do not") {
  auto altered = migrate::structure_of_script(
      "CREATE TABLE t (id TEXT PRIMARY KEY NOT NULL, a TEXT CHECK (a IN ('x'))) STRICT;"
      "ALTER TABLE t ADD COLUMN b INTEGER DEFAULT 0;"
      "ALTER TABLE t RENAME COLUMN a TO c;");
  auto fresh = migrate::structure_of_script(
      "CREATE TABLE t (\n  id TEXT PRIMARY KEY NOT NULL,\n  c TEXT CHECK (c IN ('x')),\n  b "
      "INTEGER DEFAULT 0\n) STRICT;");
  auto other = migrate::structure_of_script(
      "CREATE TABLE t (id TEXT PRIMARY KEY NOT NULL, c TEXT CHECK (c IN ('y')), b INTEGER DEFAULT "
      "0) STRICT;");
  REQUIRE(altered.ok());
  REQUIRE(fresh.ok());
  REQUIRE(other.ok());
  CHECK(migrate::compare_structures(*altered, "a", *fresh, "b").empty());
  auto diffs = migrate::compare_structures(*altered, "a", *other, "b");
  REQUIRE(diffs.size() == 2);
  CHECK(contains(diffs[0], "check (c in ( 'x' ))"));
}

TEST_CASE("migrate sql text: identifiers, literals and statements") {
  CHECK(migrate::replace_identifier("length(name) > 0 AND name <> 'name'", "name", "title") ==
        "length(title) > 0 AND title <> 'name'");
  CHECK(migrate::is_literal_default("'[]'"));
  CHECK(migrate::is_literal_default("-1"));
  CHECK(migrate::is_literal_default("NULL"));
  CHECK_FALSE(migrate::is_literal_default("(unixepoch())"));
  CHECK_FALSE(migrate::is_literal_default("(1+1)"));
  CHECK(migrate::split_statements(
            "CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; END; SELECT 'a;b'; -- x;\n")
            .size() == 2);
  CHECK(migrate::normalize_sql("CREATE TABLE \"p\"(x  INT)") ==
        migrate::normalize_sql("create table p ( x int )"));
}

TEST_CASE("migrate snapshot: round trips through JSON") {
  Decl d;
  const Schema s = d.build();
  auto parsed = migrate::parse_snapshot(migrate::snapshot_text(s, "0000_initial.sql"));
  REQUIRE(parsed.ok());
  CHECK(schema_ddl(*parsed) == schema_ddl(s));
  CHECK(migrate::same_database(*parsed, s));
  CHECK_FALSE(migrate::parse_snapshot("{\"format\": \"other\"}").ok());
}

// --- scenarios for real wrangler (tests/js/migrations_scenarios.test.mjs) ---------------------

// For each scenario of issue 16, <dir>/<name>/ holds either the generated
// 0001 file plus expect.json (its base, the tables kept by old and new name,
// and dropped) or refused.txt; <dir>/bases/<base>/ holds the initial
// migration and seed.sql (rows in every table, from populate). The files are committed in
// tests/js/migration_scenarios/, and this test fails when generate would now write other ones;
// rewrite them with EVENTUALL_SCENARIO_DIR=tests/js/migration_scenarios
// build/native/eventuall_tests -tc='*scenarios*'.
TEST_CASE("migrate scenarios: the wrangler suite's files are what generate writes") {
  TempDir fresh;
  const char* env = std::getenv("EVENTUALL_SCENARIO_DIR");
  const std::string out = env ? std::string(env) : fresh / "scenarios";
  struct Scenario {
    std::string name;
    Schema before, after;
    Renames renames;
    std::string base = "decl";
  };
  std::vector<Scenario> scenarios;
  auto add = [&](const std::string& name, const Decl& before, const Decl& after, Renames r = {}) {
    scenarios.push_back({name, before.build(), after.build(), r});
  };
  const Decl base;
  {
    Decl d;
    d.parents.push_back(text("nickname"));
    d.parent_indexes.push_back(index({"nickname"}));
    add("additive_column_with_index", base, d);
  }
  {
    Decl d;
    d.logs.push_back(integer("attempts").required().defaults_to("0"));
    add("not_null_with_default", base, d);
  }
  {
    Decl d;
    d.extra_tables.emplace_back(
        "tags",
        std::vector<Column>{id_column(), foreign_id("parent_id", "parents", OnDelete::kCascade),
                            text("label").required()});
    add("new_child_table", base, d);
  }
  {
    Decl d;
    d.parents[1] = real("name");
    add("type_change_on_referenced_table", base, d);
  }
  Decl renamed;
  renamed.children[2] = text("remark");
  renamed.view_sql =
      "SELECT p.id AS parent_id, p.name AS parent_name, c.id AS child_id, c.remark AS note "
      "FROM parents p JOIN children c ON c.parent_id = p.id";
  {
    Renames r;
    r.columns.push_back({"children", "note", "remark"});
    add("rename_with_flag", base, renamed, r);
    add("rename_without_flag", base, renamed);
  }
  {
    Decl d;
    d.logs[2] = text("level").required().defaults_to("'debug'");
    add("leaf_rebuild", base, d);
  }
  {
    Decl d;
    d.parents_name = "hosts";
    d.children[1] = foreign_id("parent_id", "hosts", OnDelete::kCascade);
    d.view_sql =
        "SELECT p.id AS parent_id, p.name AS parent_name, c.id AS child_id, c.note AS note "
        "FROM hosts p JOIN children c ON c.parent_id = p.id";
    Renames r;
    r.tables.push_back({"parents", "hosts"});
    add("parent_table_rename", base, d, r);
  }
  {
    Decl d;
    d.with_logs = false;
    Renames r;
    r.drops = {"logs"};
    add("drop_leaf_table", base, d, r);
  }
  {
    Renames r;
    r.drops = {"venue_bookings"};
    scenarios.push_back(
        {"retire_child_of_rebuilt_parent", venue_schema(false), venue_schema(true), r, "venues"});
  }

  for (const auto& sc : scenarios) {
    INFO(sc.name);
    const std::string dir = out + "/" + sc.name;
    const std::string base = out + "/bases/" + sc.base;
    fs::remove_all(dir);
    Project project(sc.before);
    write(base + "/0000_initial.sql", read(project.dir + "/0000_initial.sql"));
    auto db = sqlite::SqliteDatabase::open(":memory:");
    REQUIRE(db.ok());
    REQUIRE(sqlite::apply_migrations(**db, project.dir).ok());
    REQUIRE(migrate::populate(**db, sc.before).ok());
    auto seed = migrate::insert_script(**db, sc.before);
    REQUIRE(seed.ok());
    write(base + "/seed.sql", *seed);
    auto g = migrate::generate(sc.after, project.dir, sc.name, sc.renames);
    if (!g.ok()) {
      write(dir + "/refused.txt", g.error().message() + "\n");
      continue;
    }
    write(dir + "/after/" + fs::path(g->sql_path).filename().string(), g->sql);
    std::string kept, dropped;
    for (const auto& t : sc.before.tables()) {
      if (sc.renames.drops.count(t.name())) {
        dropped += std::string(dropped.empty() ? "" : ", ") + "\"" + t.name() + "\"";
        continue;
      }
      std::string now = t.name();
      for (const auto& r : sc.renames.tables) {
        if (r.from == now) now = r.to;
      }
      kept += std::string(kept.empty() ? "" : ", ") + "\"" + t.name() + "\": \"" + now + "\"";
    }
    write(dir + "/expect.json", "{\"base\": \"" + sc.base + "\", \"kept\": {" + kept +
                                    "}, \"dropped\": [" + dropped + "]}\n");
  }
  if (env) return;
  // Same files, same bytes, as committed (paths compared relative to each folder).
  auto relative = [](const fs::path& root) {
    std::map<std::string, std::string> files;
    for (const auto& [path, text] : listing(root)) files[fs::relative(path, root).string()] = text;
    return files;
  };
  const auto committed = relative(testing::source_path("tests/js/migration_scenarios"));
  const auto now = relative(out);
  CHECK(committed.size() == now.size());
  for (const auto& [path_name, text] : now) {
    const std::string path = path_name;  // clang 14: no structured binding in INFO
    INFO(path << ": rewrite with EVENTUALL_SCENARIO_DIR=tests/js/migration_scenarios");
    CHECK(committed.count(path) == 1);
    if (committed.count(path)) CHECK(committed.at(path) == text);
  }
}

TEST_CASE("migrate: the repository's migrations pass check") {
  for (const auto* s : {&webapp_schema(), &workers_schema()}) {
    const std::string db(sql::database_name(s->database()));
    auto report =
        migrate::check_migrations(*s, testing::source_path("migrations/" + db), std::nullopt);
    for (const auto& f : report.failures)
      FAIL_CHECK(db << ": " << f.problem << " (fix: " << f.fix << ")");
  }
}

}  // namespace
}  // namespace eventuall
