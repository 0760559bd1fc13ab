// What names a queue (spool/queue.hpp): which store texts are PostgreSQL
// URLs, and that a password never reaches a message.
#include <catch2/catch.hpp>

#include "spool/queue.hpp"

using namespace renderq;

TEST_CASE("postgresql:// and postgres:// URLs name a database, anything else is a spool folder", "[queue]") {
  CHECK(is_pg_url("postgresql://db.example/renderq"));
  CHECK(is_pg_url("postgres:///renderq?host=/run/postgresql"));
  CHECK_FALSE(is_pg_url("/var/spool/renderq"));
  CHECK_FALSE(is_pg_url("postgresql"));
  CHECK_FALSE(is_pg_url("relative/postgresql://x"));
  CHECK_FALSE(is_pg_url("POSTGRESQL://db/x"));  // libpq's scheme is lower case
}

TEST_CASE("redact_url hides the password in the user part and in password= parameters", "[queue]") {
  CHECK(redact_url("postgresql://renderq:s3cret@db.example:5432/q") == "postgresql://renderq:***@db.example:5432/q");
  CHECK(redact_url("postgresql://renderq@db.example/q") == "postgresql://renderq@db.example/q");
  CHECK(redact_url("postgresql://db.example/q?password=s3cret&sslmode=require") ==
        "postgresql://db.example/q?password=***&sslmode=require");
  CHECK(redact_url("postgresql:///q?host=/tmp&password=a@b") == "postgresql:///q?host=/tmp&password=***");
  CHECK(redact_url("postgresql://u:p%40ss@h/q?password=x") == "postgresql://u:***@h/q?password=***");
  CHECK(redact_url("/var/spool/renderq") == "/var/spool/renderq");
  CHECK(redact_url("postgresql://h/q?sslpassword=keep") == "postgresql://h/q?sslpassword=keep");
}
