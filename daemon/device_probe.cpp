#include "daemon/device_probe.hpp"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <poll.h>
#include <sys/wait.h>

#include "daemon/child_process.hpp"
#include "daemon/daemon_log.hpp"
#include "daemon/supervisor.hpp"

namespace renderq {

Result<std::vector<wire::DeviceEntry>> probe_devices(const std::string& exe) {
  Result<ChildProcess> child = spawn_child(exe, {"renderq", "daemon", "--worker-probe", "--worker-fd", "3"});
  if (!child) return std::unexpected(child.error());
  wire::LineBuffer in, err;
  std::optional<wire::Message> answer;
  bool sock_open = true;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (sock_open && std::chrono::steady_clock::now() < deadline) {
    pollfd fds[2] = {{child->sock.get(), POLLIN, 0}, {child->err.get(), POLLIN, 0}};
    ::poll(fds, 2, 1000);
    if (fds[1].revents) {
      if (!read_available(child->err.get(), err)) child->err.reset();
      while (std::optional<std::string> line = err.next_line()) daemon_log(LogLevel::Info, "device probe: " + *line);
    }
    if (fds[0].revents) {
      sock_open = read_available(child->sock.get(), in);
      if (std::optional<std::string> line = in.next_line()) {
        if (Result<wire::Message> m = wire::decode(*line)) answer = *m;
        break;
      }
    }
  }
  ::kill(child->pid, SIGKILL);  // done or too slow either way
  int status = 0;
  ::waitpid(child->pid, &status, 0);
  if (answer) {
    if (const auto* d = std::get_if<wire::Devices>(&*answer)) return d->devices;
    if (const auto* f = std::get_if<wire::StartFailed>(&*answer))
      return fail(Errc::EglNoDevice, "device probe failed: " + f->code + ": " + f->message);
  }
  return fail(Errc::EglNoDevice, "device probe gave no answer (" + describe_wait_status(status) + ")");
}

std::vector<std::optional<int>> slots_for_devices(const std::vector<wire::DeviceEntry>& devices) {
  std::vector<std::optional<int>> slots;
  for (const wire::DeviceEntry& d : devices)
    if (!d.software) slots.emplace_back(d.index);
  if (slots.empty() && !devices.empty()) {
    const wire::DeviceEntry& d = devices.front();
    slots.push_back(d.index >= 0 ? std::optional<int>(d.index) : std::nullopt);
  }
  return slots;
}

Result<void> check_listed_devices(const std::vector<int>& listed, const std::vector<wire::DeviceEntry>& found) {
  for (int index : listed) {
    if (std::any_of(found.begin(), found.end(), [index](const wire::DeviceEntry& d) { return d.index == index; }))
      continue;
    std::string have;
    for (const wire::DeviceEntry& d : found)
      if (d.index >= 0) have += (have.empty() ? "" : ", ") + std::to_string(d.index) + " " + d.device;
    return fail(Errc::InvalidArgument, "--devices: there is no EGL device " + std::to_string(index) + " (" +
                                           (have.empty() ? std::string("this machine lists none")
                                                         : "this machine has " + have) +
                                           "; see renderq devices)");
  }
  return {};
}

Result<std::vector<std::optional<int>>> choose_devices(const std::string& devices, const std::string& exe) {
  Result<std::vector<int>> listed = parse_device_list(devices);
  if (!listed) return std::unexpected(listed.error());
  Result<std::vector<wire::DeviceEntry>> found = probe_devices(exe);
  if (!found) return std::unexpected(found.error());
  for (const wire::DeviceEntry& d : *found)
    daemon_log(LogLevel::Info, "device " + std::to_string(d.index) + ": " + d.device + (d.software ? " (software)" : ""));
  if (!listed->empty()) {
    if (Result<void> ok = check_listed_devices(*listed, *found); !ok) return std::unexpected(ok.error());
    return std::vector<std::optional<int>>(listed->begin(), listed->end());
  }
  std::vector<std::optional<int>> slots = slots_for_devices(*found);
  if (slots.empty()) return fail(Errc::EglNoDevice, "no EGL device can create an OpenGL 4.5 context");
  return slots;
}

}  // namespace renderq
