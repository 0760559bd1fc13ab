#include "daemon/worker.hpp"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <exception>
#include <memory>
#include <string>
#include <unistd.h>

#include "core/output_format.hpp"
#include "daemon/child_process.hpp"
#include "daemon/fault.hpp"
#include "daemon/job_log.hpp"
#include "daemon/protocol.hpp"
#include "render/renderer.hpp"

namespace renderq {

namespace {

// Writes one message; false when the supervisor is gone.
bool send(int fd, const wire::Message& m) {
  std::string data = wire::encode(m);
  std::size_t off = 0;
  while (off < data.size()) {
    ssize_t n = ::write(fd, data.data() + off, data.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    off += static_cast<std::size_t>(n);
  }
  return true;
}

// Blocks for the next line; nullopt on EOF or error.
std::optional<std::string> receive(int fd, wire::LineBuffer& buf) {
  for (;;) {
    if (std::optional<std::string> line = buf.next_line()) return line;
    char chunk[65536];
    ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return std::nullopt;
    buf.append(std::string_view(chunk, static_cast<std::size_t>(n)));
  }
}

void stderr_line(std::string_view text) {
  std::string line = "worker: ";
  line.append(text);
  line.push_back('\n');
  (void)!::write(STDERR_FILENO, line.data(), line.size());
}

std::string fmt_ms(double ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f ms", ms);
  return buf;
}

std::string stage_line(const StageTimes& t) {
  return "stages: load " + fmt_ms(t.load) + ", decode " + fmt_ms(t.decode) + ", upload " + fmt_ms(t.upload) +
         ", ibl " + fmt_ms(t.ibl) + ", draw " + fmt_ms(t.draw) + ", readback " + fmt_ms(t.readback) +
         ", encode " + fmt_ms(t.encode) + " (" + std::to_string(t.encoder_threads) + " threads), wait " +
         fmt_ms(t.wait) + ", frames " + std::to_string(t.frames) + " in " + fmt_ms(t.wall) + ", textures cached " +
         std::to_string(t.textures_cached);
}

int probe(int fd) {
  Result<std::vector<DeviceInfo>> devices = enumerate_devices();
  if (!devices) {
    send(fd, wire::StartFailed{std::string(errc_name(devices.error().code)), devices.error().message()});
    return 1;
  }
  wire::Devices out;
  for (const DeviceInfo& d : *devices) out.devices.push_back({d.index, d.renderer, d.software});
  return send(fd, out) ? 0 : 1;
}

// Renders one job and reports it; returns false when this worker must exit.
bool run_job(int fd, Renderer& renderer, const wire::JobRequest& req, const std::vector<Fault>& faults,
             const JobLog*& current_log) {
  JobLog log;
  if (Result<JobLog> opened = JobLog::open(req.log_path)) log = std::move(*opened);
  current_log = &log;
  log.line("worker", "rendering " + req.spec.scene + " at " + std::to_string(req.spec.width) + "x" +
                         std::to_string(req.spec.height) + ", " + std::to_string(req.spec.frames) +
                         " frame(s), on " + renderer.device().renderer + " (worker pid " +
                         std::to_string(getpid()) + ")");
  apply_faults(faults, req.name);

  auto t0 = std::chrono::steady_clock::now();
  // Each frame's file is logged as it is written (progress runs once per
  // frame, in order, after its file exists), so `logs --follow` shows a
  // sequence as it grows; an animation's one file is logged at the end.
  const bool one_file = req.spec.frames <= 1 || writes_animation(req.spec);
  std::size_t logged = 0;
  ProgressFn progress = [&](int done, int total) {
    send(fd, wire::Progress{req.id, done, total});
    if (!one_file) {
      log.line("worker", "wrote " + frame_path(req.spec, done - 1));
      ++logged;
    }
  };
  wire::Done done;
  done.id = req.id;
  try {
    Result<RenderReport> report = renderer.render(req.spec, progress, req.stage);
    double total_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    if (report) {
      for (const std::string& w : report->warnings) log.line("worker", "warning: " + w);
      log.line("worker", stage_line(report->times));
      for (std::size_t i = logged; i < report->outputs.size(); ++i) log.line("worker", "wrote " + report->outputs[i]);
      log.line("worker", "render took " + fmt_ms(total_ms));
      done.ok = true;
    } else {
      const Error& e = report.error();
      log.line("worker", "error: " + std::string(errc_name(e.code)) + ": " + e.message());
      done.code = std::string(errc_name(e.code));
      done.message = e.message();
      // A lost context poisons this process: fail over to a fresh worker.
      done.retryable = done.restart = e.code == Errc::ContextLost;
    }
  } catch (const std::exception& ex) {
    log.line("worker", std::string("error: internal: ") + ex.what());
    done.code = std::string(errc_name(Errc::Internal));
    done.message = ex.what();
    done.restart = true;
  }
  current_log = nullptr;
  done.rss = process_rss_bytes(::getpid());
  return send(fd, done) && !done.restart;
}

}  // namespace

int run_worker(const WorkerOptions& options) {
  std::signal(SIGINT, SIG_IGN);
  std::signal(SIGHUP, SIG_IGN);
  std::signal(SIGPIPE, SIG_IGN);
  const int fd = options.fd;

  Result<std::vector<Fault>> faults = faults_from_env();
  if (!faults) {
    send(fd, wire::StartFailed{std::string(errc_name(faults.error().code)), faults.error().message()});
    return 1;
  }
  if (options.probe) return probe(fd);

  // The renderer logs through whichever job is current, else to stderr
  // (which the supervisor copies into the daemon log).
  const JobLog* current_log = nullptr;
  LogFn log = [&current_log](std::string_view text) {
    if (current_log != nullptr && current_log->is_open()) current_log->line("worker", text);
    else stderr_line(text);
  };
  DeviceSelector selector;
  selector.index = options.device_index;
  Result<std::unique_ptr<Renderer>> renderer =
      Renderer::create(selector, log, RendererLimits{.max_scene_memory = options.max_scene_memory, .encoder_threads = options.encoder_threads});
  if (!renderer) {
    send(fd, wire::StartFailed{std::string(errc_name(renderer.error().code)), renderer.error().message()});
    return 1;
  }
  const DeviceInfo& dev = (*renderer)->device();
  if (!send(fd, wire::Ready{dev.index, dev.renderer, dev.software, dev.cuda_id.value_or(-1), dev.max_samples})) return 0;

  wire::LineBuffer in;
  while (std::optional<std::string> line = receive(fd, in)) {
    Result<wire::Message> msg = wire::decode(*line);
    const wire::JobRequest* req = msg ? std::get_if<wire::JobRequest>(&*msg) : nullptr;
    if (req == nullptr) {
      stderr_line("unexpected message from the supervisor: " + (msg ? *line : msg.error().message()));
      return 1;
    }
    if (!run_job(fd, **renderer, *req, *faults, current_log)) return 0;
  }
  return 0;
}

}  // namespace renderq
