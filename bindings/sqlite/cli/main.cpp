// eventuall: the native command-line tool over the same core as the wasm build.
#include <cstdio>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include "client.h"
#include "fixture.h"
#include "migrate/cli.h"
#include "migrations.h"
#include "policy_table.h"
#include "schema/ddl.h"

namespace {

using namespace eventuall;

constexpr const char* kUsage = R"(usage:
  eventuall ddl <webapp|workers>                 print the schema's DDL
  eventuall call <webapp-db> <workers-db> <operation> [json]
  eventuall fixture <fixture.json> [migrations-root] [--save <dir>]
                                                 --save: the databases afterwards, as
                                                 <dir>/webapp.sqlite and <dir>/workers.sqlite
  eventuall policy                               who may call each operation (README's table)
migrations (docs/migrations.md):
)";

int fail(const std::string& message) {
  std::cerr << "eventuall: " << message << "\n";
  return 1;
}

Result<std::unique_ptr<sqlite::SqliteDatabase>> open_db(const std::string& path) {
  return sqlite::SqliteDatabase::open(path);
}

int run(std::vector<std::string> args) {
  if (args.empty()) return fail(std::string("missing command\n") + kUsage + migrate::kMigrateUsage);
  const std::string& command = args[0];
  if (command == "ddl" && args.size() == 2) {
    if (args[1] == "webapp")
      std::cout << schema::schema_ddl(schema::webapp_schema());
    else if (args[1] == "workers")
      std::cout << schema::schema_ddl(schema::workers_schema());
    else
      return fail("unknown database " + args[1]);
    return 0;
  }
  if (command == "policy" && args.size() == 1) {
    std::cout << sqlite::policy_table_markdown();
    return 0;
  }
  if (migrate::is_migrate_command(command)) return migrate::run_migrate_command(args);
  if (command == "call" && (args.size() == 4 || args.size() == 5)) {
    auto webapp = open_db(args[1]);
    auto workers = open_db(args[2]);
    if (!webapp.ok()) return fail(webapp.error().message());
    if (!workers.ok()) return fail(workers.error().message());
    sqlite::Client client(**webapp, **workers);
    std::cout << client.call_text(args[3], args.size() == 5 ? args[4] : "{}") << "\n";
    return 0;
  }
  if (command == "fixture" && args.size() >= 2 && args.size() <= 5) {
    std::string save_dir;
    if (args.size() >= 4) {
      if (args[args.size() - 2] != "--save") return fail(std::string("bad arguments\n") + kUsage);
      save_dir = args.back();
      args.resize(args.size() - 2);
    }
    if (args.size() > 3) return fail(std::string("bad arguments\n") + kUsage);
    auto text = sqlite::read_file(args[1]);
    if (!text.ok()) return fail(text.error().message());
    auto fixture = parse_json(*text);
    if (!fixture.ok()) return fail(args[1] + ": " + fixture.error().message());
    auto run = sqlite::run_fixture(*fixture, args.size() == 3 ? args[2] : "migrations");
    if (!run.ok()) return fail(run.error().message());
    if (!save_dir.empty()) {
      for (const auto& [name, image] : {std::pair{"webapp", &run->webapp_image},
                                        std::pair{"workers", &run->workers_image}}) {
        const std::string path = save_dir + "/" + name + ".sqlite";
        std::FILE* file = std::fopen(path.c_str(), "wb");
        const bool written = file && std::fwrite(image->data(), 1, image->size(), file) == image->size();
        if (file) std::fclose(file);
        if (!written) return fail("cannot write " + path);
      }
    }
    std::cout << dump_json(Json{{"outcomes", run->outcomes}, {"failures", run->failures}}) << "\n";
    return run->failures.empty() ? 0 : 1;
  }
  return fail(std::string("bad arguments\n") + kUsage + migrate::kMigrateUsage);
}

}  // namespace

int main(int argc, char** argv) {
  return run(std::vector<std::string>(argv + 1, argv + argc));
}
