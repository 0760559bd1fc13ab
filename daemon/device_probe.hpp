// Which devices the daemon runs workers on. With --devices all it lists the
// EGL devices in a short-lived child (`renderq daemon --worker-probe`), so
// that the supervisor itself never loads a GL driver: its memory stays
// small and fork stays safe. One worker per GPU; one software worker when
// there is no GPU.
//
// Thread-safety: call from the supervisor's single thread (it forks).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "daemon/protocol.hpp"

namespace renderq {

// Runs `exe` as a probe worker and returns the devices it lists (waits at
// most 60 s). Errc::EglNoDevice when the probe fails, dies or does not answer.
Result<std::vector<wire::DeviceEntry>> probe_devices(const std::string& exe);

// The worker slots for the probed `devices`: every hardware device, or the
// first device when there are only software ones (nullopt: let the
// renderer choose). Empty when `devices` is.
std::vector<std::optional<int>> slots_for_devices(const std::vector<wire::DeviceEntry>& devices);

// Errc::InvalidArgument naming the first of `listed` (--devices indices)
// that is not among the probed devices.
Result<void> check_listed_devices(const std::vector<int>& listed, const std::vector<wire::DeviceEntry>& found);

// The worker slots for the --devices value: the listed indices as given,
// once the probe has found each of them, or for "all"
// slots_for_devices(probe_devices(exe)); each device found is logged.
// Errc::InvalidArgument for a bad list or an index no device has;
// Errc::EglNoDevice when nothing can render or the probe fails.
Result<std::vector<std::optional<int>>> choose_devices(const std::string& devices, const std::string& exe);

}  // namespace renderq
