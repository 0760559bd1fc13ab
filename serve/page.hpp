// The live queue page served at "/": one self-contained HTML document (no
// external scripts, styles, fonts or images) that polls GET /v1/jobs and
// shows each job's state, progress and a thumbnail of its output.
//
// Thread-safety: immutable data.
#pragma once

#include <string_view>

namespace renderq::serve {

std::string_view queue_page_html();

// The Content-Security-Policy sent with the page: nothing from elsewhere.
std::string_view queue_page_csp();

}  // namespace renderq::serve
