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
  // cannot send a header; each output is fetched once (403/404 remembered as
  // "not served", other failures retried with a doubling delay). Logs are
  // fetched with the header too and shown in a <pre> panel.
  static constexpr std::string_view kPage = R"HTML(<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>renderq queue</title>
<style>
  :root { color-scheme: light dark; --ok: #1a7f37; --bad: #cf222e; --run: #0969da; --muted: #6e7781; --warn: #9a6700; }
  body { font: 13px/1.3 system-ui, sans-serif; margin: .8rem 1rem; }
  header { display: flex; flex-wrap: wrap; align-items: center; gap: .4rem 1rem; margin-bottom: .4rem; }
  h1 { font-size: 1.15rem; margin: 0; }
  #queue-state { font-weight: 600; }
  #queue-state.paused, #queue-state.nodaemon { color: var(--warn); }
  #summary { color: var(--muted); }
  #status { color: var(--bad); }
  #filters { display: flex; flex-wrap: wrap; align-items: center; gap: .2rem .8rem; margin-bottom: .4rem; }
  #filters fieldset { border: 0; margin: 0; padding: 0; display: inline-flex; gap: .5rem; }
  #filters legend { float: left; margin-right: .4rem; color: var(--muted); }
  table { border-collapse: collapse; width: 100%; table-layout: auto; }
  th, td { text-align: left; padding: 1px .4rem; border-bottom: 1px solid #8884; vertical-align: middle; white-space: nowrap; }
  tbody tr { height: 30px; }
  th { font-weight: 600; position: sticky; top: 0; background: Canvas; }
  .thumb { display: block; width: 40px; height: 26px; object-fit: contain; background: repeating-conic-gradient(#8882 0 25%, transparent 0 50%) 0 0 / 8px 8px; }
  .noimg { width: 40px; height: 26px; display: flex; align-items: center; justify-content: center; color: var(--muted); font-size: 10px; line-height: 1; text-align: center; }
  .name { max-width: 18rem; overflow: hidden; text-overflow: ellipsis; }
  .where { max-width: 11rem; overflow: hidden; text-overflow: ellipsis; color: var(--muted); }
  .state { font-weight: 600; }
  .state-succeeded { color: var(--ok); } .state-failed, .state-canceled { color: var(--bad); } .state-running { color: var(--run); }
  .state-held, .state-scheduled { color: var(--warn); }
  .err { color: var(--bad); font-weight: 400; max-width: 18rem; overflow: hidden; text-overflow: ellipsis; display: inline-block; vertical-align: bottom; margin-left: .3rem; }
  progress { width: 4rem; height: .8rem; }
  button { font: inherit; padding: 0 .4rem; margin-right: .2rem; }
  button:focus-visible, input:focus-visible, a:focus-visible { outline: 2px solid var(--run); outline-offset: 1px; }
  .num { font-variant-numeric: tabular-nums; }
  #tokenbox { display: none; margin-bottom: .5rem; }
  #logpanel { position: fixed; right: 1rem; bottom: 1rem; width: min(60rem, 90vw); max-height: 45vh; display: flex; flex-direction: column;
              background: Canvas; border: 1px solid #8888; box-shadow: 0 4px 16px #0004; padding: .4rem; }
  #logpanel[hidden] { display: none; }
  #logpanel pre { overflow: auto; margin: .3rem 0 0; flex: 1; font-size: 12px; }
</style>
</head>
<body>
<header>
  <h1>renderq queue</h1>
  <span>queue: <span id="queue-state">…</span></span>
  <button id="pause" type="button" disabled>pause</button>
  <span id="summary">loading…</span>
  <span id="status" role="status"></span>
</header>
<div id="tokenbox">This server wants a token: <input id="token" type="password" size="40" aria-label="token"> <button id="settoken" type="button">Use</button></div>
<div id="filters">
  <fieldset id="statefilter"><legend>state</legend></fieldset>
  <label>name <input id="namefilter" type="search" size="24" placeholder="substring or glob (*, ?)"></label>
</div>
<table>
  <thead><tr><th>image</th><th>id</th><th>name</th><th>state</th><th>progress</th><th>duration</th><th>device @ host</th><th>attempts</th><th>priority</th><th>log</th><th>actions</th></tr></thead>
  <tbody id="jobs"></tbody>
</table>
<section id="logpanel" hidden aria-labelledby="logtitle">
  <div><strong id="logtitle">log</strong> <button id="logclose" type="button">close</button></div>
  <pre id="logtext"></pre>
</section>
<script>
"use strict";
const STATES = ["queued", "running", "succeeded", "failed", "canceled"];
// Thumbnails: job id -> {kind: "pending"|"ok"|"not-served"|"error", url, tries, next}.
// An output is fetched once; 403 (outside the served roots) and 404 (gone)
// are remembered and never asked again; other failures are retried after a
// delay that doubles up to a minute.
const thumbs = new Map();
let jobs = [], queue = null, inflight = false;
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
function setStatus(text) { document.getElementById("status").textContent = text; }
async function loadThumb(job) {
  const t = thumbs.get(job.id);
  if (t && (t.kind !== "error" || Date.now() < t.next)) return;
  const tries = t ? t.tries + 1 : 1;
  thumbs.set(job.id, { kind: "pending", tries });
  let next;
  try {
    const r = await fetch(job.links.output, { headers: headers() });
    if (r.ok) next = { kind: "ok", url: URL.createObjectURL(await r.blob()), tries };
    else if (r.status === 403 || r.status === 404) next = { kind: "not-served", status: r.status, tries };
  } catch (e) { /* retried below */ }
  thumbs.set(job.id, next || { kind: "error", tries, next: Date.now() + Math.min(60000, 1000 * 2 ** tries) });
  render();
}
function fmtDuration(ms) {
  if (ms < 0) ms = 0;
  if (ms < 10000) return (ms / 1000).toFixed(1) + " s";
  const s = Math.round(ms / 1000);
  if (s < 3600) return Math.floor(s / 60) + " m " + String(s % 60).padStart(2, "0") + " s";
  return Math.floor(s / 3600) + " h " + String(Math.floor(s / 60) % 60).padStart(2, "0") + " m";
}
function duration(job) {
  if (!job.started_ms) return "";
  if (job.state === "running") return fmtDuration(Date.now() - job.started_ms);
  return job.finished_ms ? fmtDuration(job.finished_ms - job.started_ms) : "";
}
function shownState(job) {
  if (job.state !== "queued") return job.state;
  if (job.held) return "held";
  if (job.not_before_ms && job.not_before_ms > Date.now()) return "scheduled";
  return "queued";
}
async function act(job, what, method, url, body) {
  setStatus("");
  try {
    const init = { method, headers: headers() };
    if (body !== undefined) { init.body = JSON.stringify(body); init.headers["Content-Type"] = "application/json"; }
    const r = await fetch(url, init);
    if (!r.ok) {
      let msg = r.status + "";
      try { const b = await r.json(); msg = b.error.code + ": " + b.error.message; } catch (e) {}
      setStatus(what + (job ? " " + job.id : "") + " failed: " + msg);
    }
  } catch (e) { setStatus(what + " failed: " + e); }
  refresh();
}
async function showLog(job) {
  const panel = document.getElementById("logpanel"), text = document.getElementById("logtext");
  document.getElementById("logtitle").textContent = "log of job " + job.id + (job.name ? " (" + job.name + ")" : "");
  text.textContent = "loading…";
  panel.hidden = false;
  try {
    const r = await fetch(job.links.log, { headers: headers() });
    text.textContent = r.ok ? (await r.text()) || "(empty)" : "HTTP " + r.status;
  } catch (e) { text.textContent = "server unreachable: " + e; }
  document.getElementById("logclose").focus();
}
function button(key, label, title, onclick) {
  const b = el("button", { type: "button", title }, label);
  b.dataset.key = key;
  b.onclick = onclick;
  return b;
}
function thumbCell(job) {
  const t = thumbs.get(job.id);
  if (t && t.kind === "ok") {
    const img = el("img", { className: "thumb", src: t.url, alt: "output of job " + job.id });
    img.onload = () => img.dataset.loaded = "1";
    return img;
  }
  if (t && t.kind === "not-served")
    return el("div", { className: "noimg not-served", title: t.status === 403 ? "the output lies outside the served roots" : "the output is gone" }, "not served");
  if (job.state === "succeeded") return el("div", { className: "noimg" }, t && t.kind === "error" ? "retry…" : "…");
  return el("div", { className: "noimg" }, "–");
}
function row(job) {
  const st = shownState(job);
  const total = job.progress.total, done = job.progress.done;
  const progCell = el("td", { className: "num" });
  if (total > 0) progCell.append(el("progress", { max: total, value: done }), " " + done + "/" + total);
  const state = el("td", { className: "state state-" + st }, st + (job.cancel_requested ? " (canceling)" : ""));
  if (st === "scheduled") state.title = "not before " + new Date(job.not_before_ms).toLocaleString();
  if (job.error && !(job.state === "canceled" && job.error.code === "canceled")) {
    const e = el("span", { className: "err", title: job.error.code + ": " + job.error.message }, job.error.code);
    state.append(e);
  }
  const where = [job.device, job.host].filter(Boolean).join(" @ ");
  const prio = el("td", { className: "num" });
  const actions = el("td");
  const id = job.id;
  if (job.state === "queued") {
    prio.append(button("prio-down-" + id, "−", "lower the priority of job " + id,
                       () => act(job, "priority", "POST", job.links.self + "/priority", { priority: job.priority - 1 })),
                el("span", { className: "prio" }, String(job.priority)), " ",
                button("prio-up-" + id, "+", "raise the priority of job " + id,
                       () => act(job, "priority", "POST", job.links.self + "/priority", { priority: job.priority + 1 })));
    actions.append(job.held
      ? button("release-" + id, "release", "release job " + id, () => act(job, "release", "POST", job.links.self + "/release"))
      : button("hold-" + id, "hold", "hold job " + id, () => act(job, "hold", "POST", job.links.self + "/hold")));
  } else {
    prio.append(String(job.priority));
  }
  if (job.state === "queued" || job.state === "running")
    actions.append(button("cancel-" + id, "cancel", "cancel job " + id, () => act(job, "cancel", "DELETE", job.links.self)));
  if (job.state === "failed" || job.state === "canceled")
    actions.append(button("retry-" + id, "retry", "retry job " + id, () => act(job, "retry", "POST", job.links.self + "/retry")));
  const tr = el("tr", {}, el("td", {}, thumbCell(job)), el("td", { className: "num" }, String(id)),
                el("td", { className: "name", title: job.name || "" }, job.name || ""), state, progCell,
                el("td", { className: "num" }, duration(job)), el("td", { className: "where", title: where }, where),
                el("td", { className: "num" }, job.attempts + "/" + job.max_attempts), prio,
                el("td", {}, button("log-" + id, "log", "show the log of job " + id, () => showLog(job))), actions);
  tr.id = "job-" + id;
  tr.dataset.state = job.state;
  tr.dataset.shown = st;
  return tr;
}
function nameMatches(name, pattern) {
  if (!pattern) return true;
  if (!/[*?]/.test(pattern)) return name.toLowerCase().includes(pattern.toLowerCase());
  const re = new RegExp("^" + pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".") + "$", "i");
  return re.test(name);
}
function render() {
  const pattern = document.getElementById("namefilter").value.trim();
  const shown = jobs.filter(j => nameMatches(j.name || "", pattern));
  // Rows are rebuilt; the focused button is found again by its key.
  const focused = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.key : undefined;
  document.getElementById("jobs").replaceChildren(...shown.map(row));
  if (focused) { const again = document.querySelector('[data-key="' + focused + '"]'); if (again) again.focus(); }
  if (queue) {
    const qs = document.getElementById("queue-state"), pb = document.getElementById("pause");
    const idle = !queue.paused && queue.served === false;  // no daemon: queued jobs wait
    qs.textContent = queue.paused ? "paused" : idle ? "no daemon" : "running";
    qs.className = queue.paused ? "paused" : idle ? "nodaemon" : "";
    if (idle) qs.title = "no daemon serves this queue: queued jobs wait until renderq daemon starts";
    else qs.removeAttribute("title");
    pb.textContent = queue.paused ? "resume" : "pause";
    pb.disabled = false;
    document.body.dataset.paused = String(queue.paused);
    document.getElementById("summary").textContent =
      STATES.map(s => queue.counts[s] + " " + s).join(", ") + " · showing " + shown.length + (shown.length === jobs.length ? "" : " of " + jobs.length) + " (newest first, at most 100)";
  }
  const rows = document.querySelectorAll("#jobs tr");
  let visible = 0;
  for (const r of rows) if (r.getBoundingClientRect().bottom <= window.innerHeight) ++visible;
  document.body.dataset.rows = String(rows.length);
  document.body.dataset.rowsVisible = String(visible);
  document.body.dataset.rowHeight = rows.length ? String(Math.round(rows[0].getBoundingClientRect().height)) : "0";
}
function wantedStates() {
  return [...document.querySelectorAll("#statefilter input:checked")].map(c => c.value);
}
async function refresh() {
  if (inflight) return;
  inflight = true;
  try {
    const states = wantedStates();
    const q = states.length === STATES.length ? "" : "&state=" + states.join(",");
    if (states.length === 0) jobs = [];
    const [r, rq] = await Promise.all([
      states.length ? fetch("/v1/jobs?limit=100" + q, { headers: headers() }) : null,
      fetch("/v1/queue", { headers: headers() })]);
    if ((r && r.status === 401) || rq.status === 401) {
      document.getElementById("tokenbox").style.display = "block";
      setStatus("unauthorized");
      return;
    }
    if (r) {
      const body = await r.json();
      if (!r.ok) { setStatus(body.error.code + ": " + body.error.message); return; }
      jobs = body.jobs;
    }
    if (rq.ok) queue = await rq.json();
    for (const job of jobs) if (job.state === "succeeded") loadThumb(job);
    render();
    document.body.dataset.refreshed = String(Date.now());
  } catch (e) {
    setStatus("server unreachable: " + e);
  } finally { inflight = false; }
}
// The filters live in the URL's fragment (#state=failed,canceled&name=shot*),
// so a filtered view can be bookmarked or shared.
const initial = new URLSearchParams(location.hash.slice(1));
const initialStates = initial.has("state") ? initial.get("state").split(",") : STATES;
for (const s of STATES) {
  const box = el("input", { type: "checkbox", value: s, checked: initialStates.includes(s) });
  box.onchange = () => { saveFilters(); refresh(); };
  document.getElementById("statefilter").append(el("label", {}, box, " " + s));
}
document.getElementById("namefilter").value = initial.get("name") || "";
function saveFilters() {
  const p = new URLSearchParams(), states = wantedStates(), name = document.getElementById("namefilter").value.trim();
  if (states.length !== STATES.length) p.set("state", states.join(","));
  if (name) p.set("name", name);
  history.replaceState(null, "", p.toString() ? "#" + p.toString().replace(/%2C/g, ",") : location.pathname);
}
document.getElementById("namefilter").oninput = () => { saveFilters(); render(); };
document.getElementById("pause").onclick = () =>
  act(null, queue && queue.paused ? "resume" : "pause", "POST", queue && queue.paused ? "/v1/queue/resume" : "/v1/queue/pause");
document.getElementById("logclose").onclick = () => { document.getElementById("logpanel").hidden = true; };
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
