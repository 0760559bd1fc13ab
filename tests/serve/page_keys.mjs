// Drives the queue page from the keyboard over the DevTools protocol (Node's
// WebSocket): Tab moves the focus to a control that shows a focus ring; then
// each step focuses a button by its data-key and presses Enter, as a keyboard
// user would after tabbing to it. Prints one line per step; exits 1 on the
// first failed expectation.
// usage: node --experimental-websocket page_keys.mjs WS_URL STEPS_JSON
const [wsUrl, stepsJson] = process.argv.slice(2);
const ws = new WebSocket(wsUrl);
let next = 0;
const waiting = new Map();
ws.onmessage = (m) => {
  const d = JSON.parse(m.data);
  if (d.id && waiting.has(d.id)) { waiting.get(d.id)(d); waiting.delete(d.id); }
};
const send = (method, params = {}) => new Promise((r) => {
  const id = ++next;
  waiting.set(id, r);
  ws.send(JSON.stringify({ id, method, params }));
});
const js = async (e) => (await send("Runtime.evaluate", { expression: e, awaitPromise: true, returnByValue: true })).result.result.value;
const press = async (key, code, vk, text) => {
  await send("Input.dispatchKeyEvent", { type: "keyDown", key, code, windowsVirtualKeyCode: vk, text });
  await send("Input.dispatchKeyEvent", { type: "keyUp", key, code, windowsVirtualKeyCode: vk });
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
function expect(ok, what) {
  console.log((ok ? "ok: " : "FAIL: ") + what);
  if (!ok) { ws.close(); process.exit(1); }
}
ws.onerror = (e) => { console.log("FAIL: websocket " + e.message); process.exit(1); };
ws.onopen = async () => {
  for (let i = 0; i < 50 && !(await js("document.querySelectorAll('#jobs tr').length")); ++i) await sleep(100);
  await sleep(300);
  for (let i = 0; i < 2; ++i) await press("Tab", "Tab", 9);
  const ring = await js("(() => { const a = document.activeElement; return a.tagName + ' ' + getComputedStyle(a).outlineStyle; })()");
  expect(/^(BUTTON|INPUT) solid$/.test(ring), "Tab reaches a control with a visible focus ring (" + ring + ")");
  for (const step of JSON.parse(stepsJson)) {
    const tag = await js(`(() => { const b = document.querySelector('[data-key="${step}"], #${step}'); if (!b) return "missing"; b.focus(); return document.activeElement.tagName; })()`);
    expect(tag === "BUTTON", step + " is a focusable button (" + tag + ")");
    await press("Enter", "Enter", 13, "\r");
    await sleep(1200);
  }
  const log = await js("document.getElementById('logpanel').hidden ? '' : document.getElementById('logtext').textContent");
  expect(log.includes("attempt 1/1"), "the log panel shows the log");
  expect((await js("document.activeElement.id")) === "logclose", "the focus moved to the log panel's close button");
  ws.close();
  process.exit(0);
};
