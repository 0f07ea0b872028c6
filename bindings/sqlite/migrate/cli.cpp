#include "migrate/cli.h"

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <map>
#include <optional>
#include <set>

#include "migrate/apply.h"
#include "migrate/check.h"
#include "migrate/files.h"
#include "migrate/generate.h"
#include "migrate/integrity.h"
#include "migrate/target.h"
#include "migrations.h"
#include "schema/schema.h"

namespace eventuall::migrate {

const char* const kMigrateUsage =
    R"(  eventuall generate <webapp|workers> <name> [--rename table.old=new]... [--rename-table old=new]...
                     [--drop table|table.column]... [--backfill table.column=<sql>]...
                                                 write the next migration + snapshot from the C++ schema
                                                 (a drop needs --drop naming it; NOT NULL on an existing
                                                 column needs a DEFAULT or --backfill)
  eventuall snapshot <webapp|workers>            record meta/NNNN_snapshot.json for the newest migration
  eventuall status [webapp|workers] <sqlite-file|d1-state-dir> [--db-file <file>]
  eventuall status <webapp|workers> --wrangler-list <file|->
                                                 applied and pending migrations, by name
  eventuall check <webapp|workers> [--target <sqlite-file|d1-state-dir>] [--db-file <file>]
  eventuall check <webapp|workers> --wrangler-list <file|->
                                                 CI gate: exit 1 on any problem, each with its fix
                                                 (the second form: saved `wrangler d1 migrations list --remote`)
  eventuall sum <webapp|workers>                 rewrite meta/eventuall.sum, the integrity file
  eventuall apply <webapp|workers> <sqlite-file|d1-state-dir> [--dry-run] [--db-file <file>]
  eventuall migrate <db-file> <migrations-dir>   apply (kept for scripts)
  eventuall seed <sqlite-file> [seed.sql...] [--db webapp|workers]
                                                 migrate, then run migrations/seeds/*.sql (idempotent)
  common: --dir <folder> (default migrations/<db>)
)";

namespace {

int fail(const std::string& message) {
  std::cerr << "eventuall: " << message << "\n";
  return 1;
}

struct Args {
  std::vector<std::string> positional;
  std::map<std::string, std::vector<std::string>> options;
  std::set<std::string> flags;
  std::string problem;

  std::optional<std::string> option(const std::string& name) const {
    auto it = options.find(name);
    if (it == options.end() || it->second.empty()) return std::nullopt;
    return it->second.back();
  }
  std::vector<std::string> all(const std::string& name) const {
    auto it = options.find(name);
    return it == options.end() ? std::vector<std::string>{} : it->second;
  }
};

Args parse(const std::vector<std::string>& args) {
  static const std::set<std::string> with_value = {
      "--dir",          "--db-file", "--target", "--wrangler-list", "--rename",
      "--rename-table", "--db",      "--drop",   "--backfill"};
  static const std::set<std::string> boolean = {"--dry-run"};
  Args out;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (with_value.count(a)) {
      if (i + 1 >= args.size()) {
        out.problem = a + " needs a value";
        break;
      }
      out.options[a].push_back(args[++i]);
    } else if (boolean.count(a)) {
      out.flags.insert(a);
    } else if (a.size() > 2 && a.rfind("--", 0) == 0) {
      out.problem = "unknown option " + a;
      break;
    } else {
      out.positional.push_back(a);
    }
  }
  return out;
}

const schema::Schema* schema_named(const std::string& name) {
  if (name == "webapp") return &schema::webapp_schema();
  if (name == "workers") return &schema::workers_schema();
  return nullptr;
}

std::string folder_of(const Args& args, const schema::Schema& schema) {
  if (auto dir = args.option("--dir")) return *dir;
  return "migrations/" + std::string(sql::database_name(schema.database()));
}

std::string db_name(const schema::Schema& schema) {
  return std::string(sql::database_name(schema.database()));
}

void print_findings(const std::vector<Finding>& findings) {
  for (const auto& f : findings)
    std::cout << "FAIL " << f.problem << "\n     fix: " << f.fix << "\n";
}

Result<std::string> read_input(const std::string& file) {
  if (file != "-") return sqlite::read_file(file);
  return std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
}

// --- generate / snapshot -------------------------------------------------------------------

int cmd_generate(const Args& args) {
  if (args.positional.size() != 2) return fail("usage: eventuall generate <webapp|workers> <name>");
  const schema::Schema* schema = schema_named(args.positional[0]);
  if (!schema) return fail("unknown database " + args.positional[0]);
  Renames renames;
  for (const auto& r : args.all("--rename")) {
    const auto dot = r.find('.');
    const auto eq = r.find('=');
    if (dot == std::string::npos || eq == std::string::npos || eq < dot) {
      return fail("--rename takes table.old=new, got " + r);
    }
    renames.columns.push_back(
        {r.substr(0, dot), r.substr(dot + 1, eq - dot - 1), r.substr(eq + 1)});
  }
  for (const auto& r : args.all("--rename-table")) {
    const auto eq = r.find('=');
    if (eq == std::string::npos) return fail("--rename-table takes old=new, got " + r);
    renames.tables.push_back({r.substr(0, eq), r.substr(eq + 1)});
  }
  for (const auto& d : args.all("--drop")) renames.drops.insert(d);
  for (const auto& b : args.all("--backfill")) {
    const auto dot = b.find('.');
    const auto eq = b.find('=');
    if (dot == std::string::npos || eq == std::string::npos || eq < dot || eq + 1 == b.size()) {
      return fail("--backfill takes table.column=<SQL expression>, got " + b);
    }
    renames.backfills[b.substr(0, eq)] = b.substr(eq + 1);
  }
  auto generated = generate(*schema, folder_of(args, *schema), args.positional[1], renames);
  if (!generated.ok()) return fail(generated.error().message());
  for (const auto& w : generated->warnings) std::cerr << "warning: " << w << "\n";
  std::cout << "wrote " << generated->sql_path << "\nwrote " << generated->snapshot_path
            << "\nwrote " << generated->integrity_path << "\n";
  return 0;
}

int cmd_snapshot(const Args& args) {
  if (args.positional.size() != 1) return fail("usage: eventuall snapshot <webapp|workers>");
  const schema::Schema* schema = schema_named(args.positional[0]);
  if (!schema) return fail("unknown database " + args.positional[0]);
  auto path = write_snapshot(*schema, folder_of(args, *schema));
  if (!path.ok()) return fail(path.error().message());
  std::cout << "wrote " << *path << "\n";
  return 0;
}

// --- status --------------------------------------------------------------------------------

void print_status(const std::string& heading, const MigrationFolder& folder,
                  const std::vector<std::string>& applied_names,
                  const std::vector<std::string>& pending_names) {
  std::cout << heading << "\n";
  const std::set<std::string> applied(applied_names.begin(), applied_names.end());
  const std::set<std::string> pending(pending_names.begin(), pending_names.end());
  std::size_t n_applied = 0, n_pending = 0;
  for (const auto& f : folder.files) {
    const bool is_pending = pending.count(f.name) > 0;
    std::cout << (is_pending ? "  pending  " : "  applied  ") << f.name << "\n";
    ++(is_pending ? n_pending : n_applied);
  }
  for (const auto& name : applied_names) {
    if (std::none_of(folder.files.begin(), folder.files.end(),
                     [&](const auto& f) { return f.name == name; })) {
      std::cout << "  unknown  " << name << " (applied, but not in " << folder.dir << ")\n";
    }
  }
  for (const auto& name : pending_names) {
    if (std::none_of(folder.files.begin(), folder.files.end(),
                     [&](const auto& f) { return f.name == name; })) {
      std::cout << "  unknown  " << name << " (pending there, but not in " << folder.dir << ")\n";
    }
  }
  std::cout << n_applied << " applied, " << n_pending << " pending\n";
}

int status_of_file(const schema::Schema& schema, const std::string& dir, const std::string& file) {
  auto folder = scan_folder(dir);
  if (!folder.ok()) return fail(folder.error().message());
  auto state = read_applied_state(file);
  if (!state.ok()) return fail(state.error().message());
  if (!state->exists) return fail("no database file " + file);
  // Pending is a set difference: a file is applied when its name is recorded.
  const std::set<std::string> applied(state->applied.begin(), state->applied.end());
  std::vector<std::string> pending;
  for (const auto& f : folder->files) {
    if (!applied.count(f.name)) pending.push_back(f.name);
  }
  print_status(db_name(schema) + " (" + dir + ") on " + file + ":", *folder, state->applied,
               pending);
  for (const auto& p : folder->problems) std::cout << "  problem: " << p.problem << "\n";
  return 0;
}

int cmd_status(const Args& args) {
  std::vector<std::string> pos = args.positional;
  const schema::Schema* schema = nullptr;
  if (!pos.empty() && schema_named(pos[0])) {
    schema = schema_named(pos[0]);
    pos.erase(pos.begin());
  }
  if (auto list_file = args.option("--wrangler-list")) {
    if (!schema || !pos.empty()) {
      return fail("usage: eventuall status <webapp|workers> --wrangler-list <file|->");
    }
    auto text = read_input(*list_file);
    if (!text.ok()) return fail(text.error().message());
    auto pending = parse_wrangler_list(*text);
    if (!pending.ok()) return fail(pending.error().message());
    const std::string dir = folder_of(args, *schema);
    auto folder = scan_folder(dir);
    if (!folder.ok()) return fail(folder.error().message());
    // Wrangler lists only what it would apply; everything else it has applied.
    std::vector<std::string> applied;
    for (const auto& f : folder->files) {
      if (std::find(pending->begin(), pending->end(), f.name) == pending->end())
        applied.push_back(f.name);
    }
    print_status(db_name(*schema) + " (" + dir + ") per `wrangler d1 migrations list`:", *folder,
                 applied, *pending);
    return 0;
  }
  if (pos.size() != 1)
    return fail("usage: eventuall status [webapp|workers] <sqlite-file|d1-state-dir>");
  const std::string& target = pos[0];
  std::error_code ec;
  if (!std::filesystem::exists(target, ec)) return fail("no such file or folder " + target);
  if (schema) {
    auto file = resolve_target(target, *schema, args.option("--db-file"));
    if (!file.ok()) return fail(file.error().message());
    return status_of_file(*schema, folder_of(args, *schema), *file);
  }
  const std::vector<const schema::Schema*> both = {&schema::webapp_schema(),
                                                   &schema::workers_schema()};
  if (!std::filesystem::is_directory(target, ec) || args.option("--db-file")) {
    const std::string file = args.option("--db-file").value_or(target);
    auto state = read_applied_state(file);
    if (!state.ok()) return fail(state.error().message());
    const schema::Schema* which = infer_schema(*state, both);
    if (!which)
      return fail("cannot tell whether " + file +
                  " is webapp or workers; name it: eventuall status <webapp|workers> " + target);
    return status_of_file(*which, folder_of(args, *which), file);
  }
  // A D1 state folder: report every database found in it.
  int shown = 0;
  for (const auto* s : both) {
    auto file = resolve_target(target, *s);
    if (!file.ok()) continue;
    if (shown++) std::cout << "\n";
    if (int rc = status_of_file(*s, folder_of(args, *s), *file); rc != 0) return rc;
  }
  if (!shown)
    return fail("no webapp or workers database found under " + target + "; pass --db-file");
  return 0;
}

// --- check ---------------------------------------------------------------------------------

int cmd_sum(const Args& args) {
  if (args.positional.size() != 1) return fail("usage: eventuall sum <webapp|workers>");
  const schema::Schema* schema = schema_named(args.positional[0]);
  if (!schema) return fail("unknown database " + args.positional[0]);
  auto path = write_integrity(folder_of(args, *schema));
  if (!path.ok()) return fail(path.error().message());
  std::cout << "wrote " << *path << "\n";
  return 0;
}

// Prints the report; returns the exit code. `verified` says what an ok covers.
int report_check(const CheckReport& report, const schema::Schema& schema, const std::string& dir,
                 const std::string& verified) {
  print_findings(report.failures);
  for (const auto& n : report.notes) std::cout << "note " << n << "\n";
  if (!report.failures.empty()) {
    std::cout << report.failures.size() << " problem(s) in the " << db_name(schema)
              << " migrations\n";
    return 1;
  }
  std::cout << "ok: " << dir << " builds the C++ " << db_name(schema)
            << " schema and matches its integrity file" << verified << "\n";
  return 0;
}

int cmd_check(const Args& args) {
  if (args.positional.size() != 1)
    return fail("usage: eventuall check <webapp|workers> [--target <file|dir>]");
  const schema::Schema* schema = schema_named(args.positional[0]);
  if (!schema) return fail("unknown database " + args.positional[0]);
  const std::string dir = folder_of(args, *schema);
  if (auto list_file = args.option("--wrangler-list")) {
    auto text = read_input(*list_file);
    if (!text.ok()) return fail(text.error().message());
    auto pending = parse_wrangler_list(*text);
    if (!pending.ok()) return fail(pending.error().message());
    auto report = check_migrations_listed(*schema, dir, *pending);
    return report_check(report, *schema, dir,
                        "; per wrangler, " + std::to_string(report.applied) +
                            " migration(s) applied and none pending");
  }
  std::optional<std::string> target;
  if (auto t = args.option("--target")) {
    auto file = resolve_target(*t, *schema, args.option("--db-file"));
    if (!file.ok()) return fail(file.error().message());
    target = *file;
  } else if (auto f = args.option("--db-file")) {
    target = *f;
  }
  auto report = check_migrations(*schema, dir, target);
  const std::string verified = target ? "; " + target_summary(report, *target) : "";
  return report_check(report, *schema, dir, verified);
}

// --- apply / migrate -----------------------------------------------------------------------

int apply_to(const std::string& file, const std::string& dir, bool dry_run) {
  auto folder = scan_folder(dir);
  if (!folder.ok()) return fail(folder.error().message());
  auto state = read_applied_state(file);
  if (!state.ok()) return fail(state.error().message());
  auto plan = plan_apply(*folder, *state);
  if (!plan.ok()) return fail(plan.error().message());
  for (const auto& w : plan->warnings) std::cerr << "warning: " << w << "\n";
  if (dry_run) {
    if (plan->pending.empty()) {
      std::cout << "dry run: nothing to apply to " << file << "\n";
      return 0;
    }
    std::cout << "dry run: would apply " << plan->pending.size() << " migration(s) to " << file
              << (state->exists ? "" : " (a new file)") << ", each in its own transaction:\n";
    for (const auto& m : plan->pending) {
      std::cout << "  " << m.name << "  " << m.statements << " statement(s)  sha256 " << m.sha256
                << "\n";
    }
    return 0;
  }
  auto applied = apply_pending(file, dir);
  if (!applied.ok()) {
    return fail(applied.error().message() +
                "\n  that file was rolled back and no later migration ran; fix it (it was applied "
                "nowhere) and run apply again");
  }
  for (const auto& name : *applied) std::cout << "applied " << name << "\n";
  if (applied->empty()) std::cout << "no pending migrations\n";
  return 0;
}

int cmd_apply(const Args& args) {
  if (args.positional.size() != 2)
    return fail("usage: eventuall apply <webapp|workers> <sqlite-file|d1-state-dir> [--dry-run]");
  const schema::Schema* schema = schema_named(args.positional[0]);
  if (!schema) return fail("unknown database " + args.positional[0]);
  auto file = resolve_target(args.positional[1], *schema, args.option("--db-file"));
  if (!file.ok()) return fail(file.error().message());
  return apply_to(*file, folder_of(args, *schema), args.flags.count("--dry-run") > 0);
}

int cmd_migrate(const Args& args) {
  if (args.positional.size() != 2)
    return fail("usage: eventuall migrate <db-file> <migrations-dir>");
  return apply_to(args.positional[0], args.positional[1], args.flags.count("--dry-run") > 0);
}

// --- seed ----------------------------------------------------------------------------------

int cmd_seed(const Args& args) {
  if (args.positional.empty()) return fail("usage: eventuall seed <sqlite-file> [seed.sql...]");
  const std::string file = args.positional[0];
  const schema::Schema* schema = nullptr;
  if (auto db = args.option("--db")) {
    schema = schema_named(*db);
    if (!schema) return fail("unknown database " + *db);
  } else {
    auto state = read_applied_state(file);
    if (!state.ok()) return fail(state.error().message());
    schema = infer_schema(*state, {&schema::webapp_schema(), &schema::workers_schema()});
    if (!schema) schema = &schema::webapp_schema();  // the seeds are webapp data
  }
  const std::string dir = folder_of(args, *schema);
  std::error_code ec;
  if (std::filesystem::is_directory(dir, ec)) {
    if (int rc = apply_to(file, dir, false); rc != 0) return rc;
  } else {
    std::cerr << "warning: no migrations folder " << dir << ": seeding without migrating\n";
  }
  std::vector<std::string> seeds(args.positional.begin() + 1, args.positional.end());
  if (seeds.empty()) {
    const auto seeds_dir = std::filesystem::path(dir).parent_path() / "seeds";
    for (const auto& entry : std::filesystem::directory_iterator(seeds_dir, ec)) {
      if (entry.is_regular_file() && entry.path().extension() == ".sql")
        seeds.push_back(entry.path().string());
    }
    std::sort(seeds.begin(), seeds.end());
    if (seeds.empty()) return fail("no seed files in " + seeds_dir.string());
  }
  for (const auto& seed : seeds) {
    if (Status s = apply_seed(file, seed); !s.ok()) return fail(s.error().message());
    std::cout << "seeded " << seed << "\n";
  }
  return 0;
}

}  // namespace

bool is_migrate_command(const std::string& command) {
  static const std::set<std::string> commands = {"generate", "snapshot", "status", "check",
                                                 "apply",    "migrate",  "seed",   "sum"};
  return commands.count(command) > 0;
}

int run_migrate_command(const std::vector<std::string>& raw) {
  const Args args = parse(raw);
  if (!args.problem.empty()) return fail(args.problem);
  const std::string& command = raw[0];
  if (command == "generate") return cmd_generate(args);
  if (command == "snapshot") return cmd_snapshot(args);
  if (command == "sum") return cmd_sum(args);
  if (command == "status") return cmd_status(args);
  if (command == "check") return cmd_check(args);
  if (command == "apply") return cmd_apply(args);
  if (command == "migrate") return cmd_migrate(args);
  if (command == "seed") return cmd_seed(args);
  return fail("unknown command " + command);
}

}  // namespace eventuall::migrate
