// The host console (templates/live/screens/console.html): what is on stage now, drawn from the
// host's view — the question with its answer and the MC's notes, every team's answer, the buzz
// order, the judges' marks, live standings — and the devices from `presence`.
// The controls are wired in console-controls.js; the server decides whether an action fits,
// the disabled buttons only spare the host a refusal.

import { L, StageClient, countdown, el, fill, hasTimer, num } from "./client.js";
import { wireControls, updateControls } from "./console-controls.js";
import { buzzExtras, deviceRtt } from "./console-final.js";

const root = document.getElementById("stage");
const $ = (id) => document.getElementById(id);
const PARTS = JSON.parse($("console-parts").textContent);
const JUDGES = JSON.parse($("console-judges").textContent);

const client = new StageClient({ root, as: "host", onView: draw, onPresence: drawDevices });
wireControls(client, PARTS);

function draw(view) {
  $("now-part").textContent = view.part ? `· ${view.part.title}` : "";
  $("console-finished").hidden = !view.finished;
  drawQuestion(view);
  drawAnswers(view);
  drawBuzzes(view);
  drawStandings(view);
  drawStage(view);
  drawSheets(view);
  markRunOfShow(view);
  const clock = $("now-clock");
  clock.replaceChildren(hasTimer(view.timer) ? countdown(view.timer, { overtime: view.scene === "stage" }) : "");
  updateControls(view);
}

function teamName(view, id) {
  const row = view.standings.find((r) => r.team === id);
  return row ? row.name : String(id);
}

function drawQuestion(view) {
  const q = view.question;
  const box = $("now-question");
  if (!q) {
    box.replaceChildren(el("p", { class: "muted", text: L.no_question }));
    return;
  }
  const phase = L.phases[q.phase] || q.phase;
  const parts = [
    el("p", { class: "console-qhead" },
      el("strong", { text: fill(L.question_n, { n: q.number }) }),
      el("span", { class: "tag", text: `${L.phase}: ${phase}` }),
      el("span", { class: "muted", text: fill(L.points_n, { n: num(q.points) }) })),
    el("div", { class: "console-stem", html: q.stem_html }),
  ];
  if (q.options) {
    parts.push(el("ol", { class: "console-options" }, ...q.options.map((o) => el("li", {
      class: o.correct ? "is-correct" : "",
    }, el("strong", { text: `${o.letter}. ` }), o.text, o.correct ? " ✓" : ""))));
  }
  if (q.items) parts.push(el("ol", { class: "console-options" }, ...q.items.map((i) => el("li", { text: i.text }))));
  parts.push(el("p", { class: "console-correct" }, el("strong", { text: `${L.correct_answer}: ` }), q.correct_text || "—"));
  if (q.explanation_html) parts.push(el("div", { class: "console-explanation", html: q.explanation_html }));
  if (q.notes) parts.push(el("p", { class: "console-notes" }, el("strong", { text: `${L.notes}: ` }), q.notes));
  box.replaceChildren(...parts);
}

function drawAnswers(view) {
  const q = view.question;
  const box = $("now-answers");
  if (!q || !view.part || view.part.format !== "all_answer") {
    box.replaceChildren();
    return;
  }
  const rows = q.answers.map((a) => el("tr", { "data-team": a.team },
    el("td", { text: a.name }),
    el("td", { text: a.answer || "—" }),
    el("td", { class: "num", text: a.points === null || a.points === undefined ? "" : `+${num(a.points)}` })));
  box.replaceChildren(
    el("p", { class: "muted", text: fill(L.answered_n, { n: q.answered, total: q.answers.length }) }),
    el("table", { class: "console-table" }, el("tbody", {}, ...rows)));
}

function drawBuzzes(view) {
  const q = view.question;
  const list = $("now-buzzes");
  if (!q || !q.buzzes.length) {
    list.replaceChildren();
    return;
  }
  // The fair buzzer (console-final.js): each pad's latency; a tie marked, with award buttons.
  list.replaceChildren(...q.buzzes.map((b) => {
    const extra = buzzExtras(q, b);
    return el("li", { class: `buzz-${b.kind}${extra.tied ? " is-tied" : ""}`, "data-team": b.team },
      el("strong", { text: b.name }), " ",
      el("span", { text: b.ms === null ? L.early : fill(L.ms, { ms: num(b.ms) }) }),
      q.winner === b.team && b.kind === "in" && q.phase === "buzzed" ? " ★" : "",
      q.right === b.team && b.kind === "in" ? ` ✓ ${L.right}` : "",
      q.out.includes(b.team) && b.kind !== "early" ? ` ✗ ${L.wrong}` : "", ...extra.parts);
  }));
}

function drawStandings(view) {
  $("console-standings").replaceChildren(...view.standings.map((r) => {
    const swatch = el("span", { class: "swatch" });
    swatch.style.setProperty("--team", r.colour);
    return el("li", { "data-team": r.team }, el("span", { class: "standings-rank", text: String(r.rank) }),
      swatch, el("span", { text: r.name }), el("strong", { text: num(r.total) }));
  }));
}

function drawStage(view) {
  const s = view.stage;
  const line = $("stage-now");
  if (!s) {
    line.textContent = L.nobody_on_stage;
    return;
  }
  let text = `${L.on_stage}: ${s.name}`;
  if (s.performance && s.performance.penalty) text += ` · ${fill(L.penalty, { n: num(s.performance.penalty) })}`;
  if (s.score !== undefined && s.score !== null) text += ` · ${L.score}: ${num(s.score)}`;
  line.textContent = text;
}

function drawSheets(view) {
  const part = view.part;
  const sheets = view.sheets.filter((s) => part && s.part === part.id);
  $("console-sheets").replaceChildren(...sheets.map((sheet) => {
    const marks = JUDGES.map((j) => {
      const given = sheet.marks[String(j.id)];
      return el("li", { text: `${j.name}: ${given ? given.map(num).join(" · ") : "—"}` });
    });
    return el("div", { class: "console-sheet", "data-team": sheet.team },
      el("p", {}, el("strong", { text: teamName(view, sheet.team) }), " ",
        el("span", { class: "tag", text: L.sheet_status[sheet.status] || sheet.status }), " ",
        el("span", { text: `${L.mean}: ${num(sheet.score)}` })),
      el("ul", { class: "console-marks" }, ...marks));
  }));
}

function markRunOfShow(view) {
  for (const node of document.querySelectorAll(".run-part")) {
    node.classList.toggle("is-current", Boolean(view.part) && Number(node.dataset.part) === view.part.id);
  }
  for (const node of document.querySelectorAll(".run-questions li")) {
    node.classList.toggle("is-current", Boolean(view.question) && Number(node.dataset.question) === view.question.id);
  }
}

function drawDevices(devices) {
  const list = $("console-devices");
  if (!devices.length) {
    list.replaceChildren(el("li", { class: "muted", text: L.no_devices }));
    return;
  }
  list.replaceChildren(...devices.map((d) => el("li", {
    class: d.connected ? "is-connected" : "is-away", "data-seat": d.subject ? `${d.role}-${d.subject}` : d.role,
  }, el("span", { class: "device-dot", "aria-hidden": "true" }), `${d.role === "projector" ? L.projector : d.name} — `,
  d.connected ? `${L.connected}${d.connected > 1 ? ` ×${d.connected}` : ""}` : L.disconnected,
  el("span", { class: "device-rtt", text: d.connected ? deviceRtt(d) : "" }))));
}
