#include "serve/page.hpp"

namespace renderq::serve {

std::string_view queue_page_csp() {
  return "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
         "img-src 'self' blob:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
}

std::string_view queue_page_html() {
  // The token (when the server asks for one) stays in this tab's
  // sessionStorage and travels in the Authorization header; thumbnails are
  // fetched the same way and shown through blob: URLs, since an <img> tag
  // cannot send a header.
  static constexpr std::string_view kPage = R"HTML(<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>renderq queue</title>
<style>
  :root { color-scheme: light dark; --ok: #1a7f37; --bad: #cf222e; --run: #0969da; --muted: #6e7781; }
  body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5rem; }
  h1 { font-size: 1.3rem; margin: 0 0 .5rem; }
  #summary { color: var(--muted); margin-bottom: 1rem; }
  #status { color: var(--bad); }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: .35rem .6rem; border-bottom: 1px solid #8884; vertical-align: middle; }
  th { font-weight: 600; }
  .thumb { width: 96px; height: 96px; object-fit: contain; background: repeating-conic-gradient(#8882 0 25%, transparent 0 50%) 0 0 / 16px 16px; }
  .noimg { width: 96px; height: 96px; display: flex; align-items: center; justify-content: center; color: var(--muted); border: 1px dashed #8886; }
  .state { font-weight: 600; }
  .state-succeeded { color: var(--ok); } .state-failed, .state-canceled { color: var(--bad); } .state-running { color: var(--run); }
  progress { width: 10rem; }
  .err { color: var(--bad); font-size: 12px; }
  #tokenbox { display: none; margin-bottom: 1rem; }
</style>
</head>
<body>
<h1>renderq queue</h1>
<div id="tokenbox">This server wants a token: <input id="token" type="password" size="40"> <button id="settoken">Use</button></div>
<div id="summary">loading…</div>
<div id="status"></div>
<table>
  <thead><tr><th>image</th><th>id</th><th>name</th><th>state</th><th>progress</th><th>created</th><th></th></tr></thead>
  <tbody id="jobs"></tbody>
</table>
<script>
"use strict";
const thumbs = new Map();  // job id -> blob: URL of its output
const pending = new Set();
function headers() {
  const t = sessionStorage.getItem("renderq-token");
  return t ? { "Authorization": "Bearer " + t } : {};
}
function el(tag, props, ...children) {
  const e = document.createElement(tag);
  Object.assign(e, props || {});
  for (const c of children) e.append(c);
  return e;
}
async function loadThumb(job) {
  if (thumbs.has(job.id) || pending.has(job.id)) return;
  pending.add(job.id);
  try {
    const r = await fetch(job.links.output, { headers: headers() });
    if (r.ok) thumbs.set(job.id, URL.createObjectURL(await r.blob()));
  } finally { pending.delete(job.id); }
}
async function cancel(job) {
  await fetch(job.links.self, { method: "DELETE", headers: headers() });
  refresh();
}
function row(job) {
  let image;
  if (thumbs.has(job.id)) {
    image = el("img", { className: "thumb", src: thumbs.get(job.id), alt: "output of job " + job.id });
    image.onload = () => image.dataset.loaded = "1";
  } else {
    image = el("div", { className: "noimg" }, job.state === "succeeded" ? "…" : "–");
  }
  const total = job.progress.total, done = job.progress.done;
  const prog = total > 0 ? el("progress", { max: total, value: done }) : el("span", {}, "");
  const progCell = el("td", {}, prog, total > 0 ? " " + done + "/" + total : "");
  const state = el("td", { className: "state state-" + job.state }, job.state + (job.cancel_requested ? " (canceling)" : ""));
  if (job.error) state.append(el("div", { className: "err" }, job.error.code + ": " + job.error.message));
  const action = el("td");
  if (job.state === "queued" || job.state === "running") {
    const b = el("button", {}, "cancel");
    b.onclick = () => cancel(job);
    action.append(b);
  }
  const tr = el("tr", {}, el("td", {}, image), el("td", {}, String(job.id)), el("td", {}, job.name || ""),
                state, progCell, el("td", {}, new Date(job.created_ms).toLocaleString()), action);
  tr.id = "job-" + job.id;
  tr.dataset.state = job.state;
  return tr;
}
async function refresh() {
  try {
    const r = await fetch("/v1/jobs?limit=100", { headers: headers() });
    if (r.status === 401) {
      document.getElementById("tokenbox").style.display = "block";
      document.getElementById("status").textContent = "unauthorized";
      return;
    }
    const body = await r.json();
    if (!r.ok) { document.getElementById("status").textContent = body.error.code + ": " + body.error.message; return; }
    document.getElementById("status").textContent = "";
    for (const job of body.jobs) if (job.state === "succeeded") await loadThumb(job);
    const counts = {};
    for (const job of body.jobs) counts[job.state] = (counts[job.state] || 0) + 1;
    document.getElementById("summary").textContent = body.jobs.length === 0 ? "no jobs" :
      Object.entries(counts).map(([s, n]) => n + " " + s).join(", ") + " (newest " + body.jobs.length + ")";
    document.getElementById("jobs").replaceChildren(...body.jobs.map(row));
    document.body.dataset.refreshed = String(Date.now());
  } catch (e) {
    document.getElementById("status").textContent = "server unreachable: " + e;
  }
}
document.getElementById("settoken").onclick = () => {
  sessionStorage.setItem("renderq-token", document.getElementById("token").value.trim());
  document.getElementById("tokenbox").style.display = "none";
  refresh();
};
refresh();
setInterval(refresh, 1000);
</script>
</body>
</html>
)HTML";
  return kPage;
}

}  // namespace renderq::serve
