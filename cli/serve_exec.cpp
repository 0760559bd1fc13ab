// run_serve for the queue commands' renderq: the HTTP server lives in
// renderq-full (cli/full_exec.hpp), which gets the same command line.
#include "cli/full_exec.hpp"
#include "cli/serve_args.hpp"

namespace renderq {

int run_serve(const ServeArgs&, Context& ctx) { return report(exec_renderq_full(ctx.argv)); }

}  // namespace renderq
