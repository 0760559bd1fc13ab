#include "spool/pg_conn.hpp"

#include <poll.h>

#include <libpq-fe.h>

#include <cstdlib>

#include "spool/sql_text.hpp"

namespace renderq {
namespace {

// Errc for a failed statement's SQLSTATE (PostgreSQL manual, appendix A).
Errc errc_of(std::string_view sqlstate) {
  if (sqlstate == "40001" || sqlstate == "40P01" || sqlstate == "55P03" || sqlstate == "57014") return Errc::Busy;
  // Connection exceptions, the server shutting down or not yet accepting.
  if (sqlstate.starts_with("08") || sqlstate.starts_with("57P")) return Errc::StoreUnavailable;
  if (sqlstate.starts_with("28") || sqlstate == "42501") return Errc::PermissionDenied;
  return Errc::Internal;
}

std::string trimmed(const char* text) {
  std::string s = text ? text : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace

PgRows::~PgRows() {
  if (r_) PQclear(r_);
}

int PgRows::size() const { return PQntuples(r_); }

int PgRows::column(std::string_view name) const {
  const int c = PQfnumber(r_, std::string(name).c_str());
  if (c < 0) throw PgError(Error{Errc::Internal, "query result has no column " + std::string(name)});
  return c;
}

bool PgRows::null(int row, std::string_view col) const { return PQgetisnull(r_, row, column(col)) != 0; }
std::string PgRows::text(int row, std::string_view col) const { return PQgetvalue(r_, row, column(col)); }
std::int64_t PgRows::int64(int row, std::string_view col) const {
  return std::strtoll(PQgetvalue(r_, row, column(col)), nullptr, 10);
}
int PgRows::int32(int row, std::string_view col) const { return static_cast<int>(int64(row, col)); }
bool PgRows::boolean(int row, std::string_view col) const { return PQgetvalue(r_, row, column(col))[0] == 't'; }
std::optional<std::int64_t> PgRows::opt_int64(int row, std::string_view col) const {
  if (null(row, col)) return std::nullopt;
  return int64(row, col);
}
std::int64_t PgRows::affected() const { return std::strtoll(PQcmdTuples(r_), nullptr, 10); }

Result<std::unique_ptr<PgConn>> PgConn::connect(const std::string& conninfo) {
  pg_conn* c = PQconnectdb(conninfo.c_str());
  if (!c) return fail(Errc::Internal, "libpq could not allocate a connection");
  if (PQstatus(c) != CONNECTION_OK) {
    const std::string why = trimmed(PQerrorMessage(c));
    PQfinish(c);
    const bool refused = why.find("authentication") != std::string::npos ||
                         why.find("password") != std::string::npos ||
                         why.find("permission denied") != std::string::npos;
    return fail(refused ? Errc::PermissionDenied : Errc::StoreUnavailable, "cannot connect to PostgreSQL: " + why);
  }
  // Quiet: NOTICEs ("relation already exists, skipping") are not ours to print.
  PQsetNoticeProcessor(c, [](void*, const char*) {}, nullptr);
  return std::unique_ptr<PgConn>(new PgConn(c));
}

PgConn::~PgConn() { PQfinish(c_); }

PgRows PgConn::check(pg_result* r, std::string_view what) {
  PgRows rows(r);
  const ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return rows;
  const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  Errc code = state ? errc_of(state) : Errc::Io;
  if (PQstatus(c_) == CONNECTION_BAD) code = Errc::StoreUnavailable;
  throw PgError(Error{code, std::string(what) + ": " + trimmed(PQerrorMessage(c_))});
}

PgRows PgConn::query(std::string_view path, const std::vector<PgParam>& params) {
  const std::string name(path);
  if (!prepared_.contains(name)) {
    Result<std::string_view> text = sql_text(path);
    if (!text) throw PgError(text.error());
    check(PQprepare(c_, name.c_str(), std::string(*text).c_str(), 0, nullptr), "prepare sql/" + name);
    prepared_.insert(name);
  }
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const PgParam& p : params) values.push_back(p ? p->c_str() : nullptr);
  return check(PQexecPrepared(c_, name.c_str(), static_cast<int>(values.size()), values.data(), nullptr,
                              nullptr, 0),
               "sql/" + name);
}

PgRows PgConn::exec(const std::string& sql) { return check(PQexec(c_, sql.c_str()), "PostgreSQL"); }

void PgConn::ensure_connected() {
  // A connection the server ended while it sat idle (a restart, an
  // administrator's pg_terminate_backend) still reads as OK until it is
  // used; the server's goodbye, or the closed socket, waits on it. Read what
  // is there, so that the reset below happens before a statement is sent
  // rather than failing it.
  // Its goodbye message and the end of the stream arrive as two reads.
  for (int i = 0; i < 4 && PQstatus(c_) == CONNECTION_OK && readable_now(); ++i)
    if (!absorb()) break;
  if (PQstatus(c_) == CONNECTION_OK) return;
  PQreset(c_);
  if (PQstatus(c_) != CONNECTION_OK)
    throw PgError(Error{Errc::StoreUnavailable, "PostgreSQL connection lost: " + trimmed(PQerrorMessage(c_))});
  prepared_.clear();
  for (const std::string& sql : session_) exec(sql);
  for (const std::string& ch : channels_) exec("LISTEN \"" + ch + "\"");
}

void PgConn::session(const std::string& sql) {
  exec(sql);
  session_.push_back(sql);
}

void PgConn::listen(const std::string& channel) {
  if (channels_.contains(channel)) return;
  exec("LISTEN \"" + channel + "\"");
  channels_.insert(channel);
  notified_.try_emplace(channel, 0);
}

bool PgConn::readable_now() const {
  pollfd p{.fd = PQsocket(c_), .events = POLLIN, .revents = 0};
  return p.fd >= 0 && ::poll(&p, 1, 0) > 0;
}

bool PgConn::absorb() {
  if (PQconsumeInput(c_) == 0) return false;
  while (PGnotify* n = PQnotifies(c_)) {
    auto it = notified_.find(n->relname);
    if (it != notified_.end()) ++it->second;
    PQfreemem(n);
  }
  return true;
}

void PgConn::consume() {
  if (!absorb())
    throw PgError(Error{Errc::StoreUnavailable, "PostgreSQL connection lost: " + trimmed(PQerrorMessage(c_))});
}

std::int64_t PgConn::notifications(const std::string& channel) {
  consume();
  const auto it = notified_.find(channel);
  return it == notified_.end() ? 0 : it->second;
}

int PgConn::socket() const { return PQsocket(c_); }

PgTxn::~PgTxn() {
  if (done_) return;
  try {
    c_.exec("ROLLBACK");
  } catch (const PgError&) {
    // The connection broke: the server rolled the transaction back itself.
  }
}

}  // namespace renderq
