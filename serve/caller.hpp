// Who is calling, for a server on a loopback address without a token: the
// local user that owns the client's socket, asked of the kernel for that
// socket (NETLINK_SOCK_DIAG, as ss(8) does; /proc/net/tcp and tcp6 where
// netlink is not allowed). A local user who cannot use the spool
// themselves (not its owner, not in its group, no set-group-id renderq for
// it) cannot use it through the server either (issue 13, M4), and on a
// spool several users share, one user's jobs are not another's to change.
// With a token the token decides, as before: its holder was given it.
//
// Thread-safety: pure functions over the file system.
#pragma once

#include <sys/types.h>

#include <expected>
#include <filesystem>
#include <optional>
#include <string_view>

#include "serve/api_error.hpp"
#include "spool/job.hpp"
#include "spool/queue.hpp"

namespace httplib {
struct Request;
}

namespace renderq::serve {

struct ServeContext;

// The uid owning the client end of this loopback connection; nullopt when
// it is not a loopback TCP connection or cannot be found.
std::optional<uid_t> loopback_caller(const httplib::Request& req);

// Whether `uid` could open the spool at `dir` with the renderq command:
// root, this server's user, the folder's owner, a member of its group when
// the group may write it, or anyone when `helper` (the thin renderq) is
// set-group-id to the folder's group.
bool may_use_spool(uid_t uid, const std::filesystem::path& dir, const std::filesystem::path& helper);

// 403 permission_denied when the caller is a local user who may not use
// the spool; nothing otherwise (token servers, remote callers).
std::optional<ApiError> refuse_caller(const ServeContext& ctx, const httplib::Request& req);

// 403 permission_denied when an identified local caller (not root, this
// server's user nor the spool's owner) would `action` a job another user
// submitted with the renderq command. Jobs posted to this server are its
// own user's and open to every caller it lets in.
std::optional<ApiError> refuse_other_users_job(const ServeContext& ctx, const httplib::Request& req, const Job& job,
                                               std::string_view action);

// The job the request's path names, read through the request's `queue`
// connection, for a caller about to `action` it ("read", "cancel", ...):
// 404 when there is none, 403 as refuse_other_users_job says; "" = no check
// (the job's status, which every caller let in may read).
std::expected<Job, ApiError> load_job_for_caller(const ServeContext& ctx, Queue& queue, const httplib::Request& req,
                                                 std::string_view action);

// The store's refusal of an action on job `id`, as an answer; a
// job_state_conflict names the job's state as it is now (as a cancel's 409
// does), read through `queue`.
std::unexpected<ApiError> refusal_about_job(const Error& error, Queue& queue, JobId id);

// 403 permission_denied when an identified local caller who is not root,
// this server's user nor the spool's owner would `action` the whole queue.
std::optional<ApiError> refuse_unless_admin(const ServeContext& ctx, const httplib::Request& req,
                                            std::string_view action);

}  // namespace renderq::serve
