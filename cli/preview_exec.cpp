// run_preview_command for the queue commands' renderq: the window lives in
// renderq-full (cli/full_exec.hpp), which gets the same command line.
#include "cli/full_exec.hpp"
#include "cli/preview_args.hpp"

namespace renderq {

int run_preview_command(const PreviewArgs&, Context& ctx) { return report(exec_renderq_full(ctx.argv)); }

}  // namespace renderq
