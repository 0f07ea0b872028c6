// Our own bugs stop loudly (wasm/common/bug.h): each misuse runs in a forked
// child, which must die of SIGABRT having printed "eventuall bug: ..." on
// stderr. No death-test framework: fork, a pipe for stderr, waitpid.
#include <doctest/doctest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <functional>
#include <string>

#include "common/status.h"
#include "schema/queries.h"
#include "schema/schema.h"
#include "sql/statement.h"

namespace eventuall {
namespace {

struct Death {
  bool aborted = false;  // killed by SIGABRT
  int exit_code = -1;    // when it exited instead
  std::string stderr_text;
};

Death run_in_child(const std::function<void()>& body) {
  std::fflush(nullptr);
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  const pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    close(fds[0]);
    dup2(fds[1], STDERR_FILENO);
    // doctest reports a crash and carries on with the next test: the child
    // must die of the signal instead.
    signal(SIGABRT, SIG_DFL);
    body();
    _exit(0);
  }
  close(fds[1]);
  Death death;
  char buffer[512];
  for (ssize_t n; (n = read(fds[0], buffer, sizeof buffer)) > 0;) death.stderr_text.append(buffer, n);
  close(fds[0]);
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  death.aborted = WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
  if (WIFEXITED(status)) death.exit_code = WEXITSTATUS(status);
  return death;
}

void check_bug(const std::function<void()>& body, const std::string& message) {
  const Death death = run_in_child(body);
  CHECK(death.aborted);
  CHECK_MESSAGE(death.stderr_text.find("eventuall bug: " + message) != std::string::npos,
                death.stderr_text);
}

sql::ResultSet one_row() {
  sql::ResultSet set;
  set.columns = {"user_id", "n"};
  set.rows = {{sql::Value(std::string("u1")), sql::Value(std::int64_t{3})}};
  return set;
}

}  // namespace

TEST_CASE("the right side of a Result, Row and Insert are read without trapping") {
  const Death death = run_in_child([] {
    const sql::ResultSet set = one_row();
    const sql::Row row(set, 0);
    Result<int> value = 7;
    Result<int> error = Error::not_found("gone");
    const Status status = Error::conflict("taken");
    const auto& users = schema::webapp_schema().table("users");
    auto statement = schema::Insert(users).set("id", std::string("x")).build();
    const bool right = row.text("user_id") == "u1" && row.integer("n") == 3 && value.value() == 7 &&
                       error.error().code() == ErrorCode::kNotFound &&
                       status.error().code() == ErrorCode::kConflict && !statement.sql.empty();
    _exit(right ? 0 : 3);
  });
  CHECK_FALSE(death.aborted);
  CHECK(death.exit_code == 0);
}

TEST_CASE("Row::get of a column the result does not have is a bug, not a NULL") {
  check_bug(
      [] {
        const sql::ResultSet set = one_row();
        (void)sql::Row(set, 0).integer("user_exists");
      },
      "no column user_exists in the result");
}

TEST_CASE("Row::get past the last row is a bug") {
  check_bug(
      [] {
        const sql::ResultSet set = one_row();
        (void)sql::Row(set, 1).text("user_id");
      },
      "row 1 of a result of 1 rows");
}

TEST_CASE("Result::value() of an error is a bug naming the error") {
  check_bug(
      [] {
        Result<int> result = Error::forbidden("no grant.manage");
        (void)result.value();
      },
      "value() of a Result holding the error forbidden: no grant.manage");
  check_bug(
      [] {
        Result<std::string> result = Error::not_found("gone");
        (void)result->size();
      },
      "value() of a Result holding the error not_found: gone");
}

TEST_CASE("Result::error() and Status::error() of a success are bugs") {
  check_bug(
      [] {
        Result<int> result = 1;
        (void)result.error();
      },
      "error() of a Result or Status holding no error");
  check_bug(
      [] {
        Result<int> result = 1;
        (void)result.take_error();
      },
      "error() of a Result or Status holding no error");
  check_bug(
      [] {
        const Status status;
        (void)status.error();
      },
      "error() of a Result or Status holding no error");
}

TEST_CASE("Insert::set and insert_rows of a column the table does not have are bugs") {
  check_bug(
      [] {
        (void)schema::Insert(schema::webapp_schema().table("events"))
            .set("acount_id", std::string("a"));
      },
      "no column acount_id in events");
  check_bug(
      [] {
        (void)schema::insert_rows(schema::webapp_schema().table("rooms"), {"id", "nmae"},
                                  {{sql::Value(std::string("r")), sql::Value(std::string("n"))}},
                                  std::nullopt, false);
      },
      "no column nmae in rooms");
  // build() moves the values out: a second build would bind none.
  check_bug(
      [] {
        schema::Insert insert(schema::webapp_schema().table("rooms"));
        insert.set("id", std::string("r"));
        (void)insert.build();
        (void)insert.build();
      },
      "Insert of rooms built twice");
}

TEST_CASE("Schema::table of a table the schema does not have is a bug") {
  check_bug([] { (void)schema::webapp_schema().table("user"); }, "no table user in the schema");
}

}  // namespace eventuall
