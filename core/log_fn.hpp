// The callbacks long operations report through: LogFn for lines meant for a
// job log (warnings, facts), ProgressFn for "done of total" steps. Shared by
// the glTF loader, the renderer and the daemon.
//
// Thread-safety: a callback is called from the thread doing the work; the
// owner of the callback makes it safe for that.
#pragma once

#include <functional>
#include <string_view>

namespace renderq {

using LogFn = std::function<void(std::string_view)>;
using ProgressFn = std::function<void(int done, int total)>;

}  // namespace renderq
