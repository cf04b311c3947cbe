// The console's packages controls (templates/live/screens/_console_packages.html), as in
// Olympia's "Về đích": start a team's turn, record its package (one value per question), show
// the next question of the package's next value (only the part's unasked ones are listed), mark
// the team's answer, then the steal — whoever buzzed first on their pad — or nobody.

import { L, el, fill, num } from "./client.js";

const DATA = JSON.parse(document.getElementById("final-console-data").textContent).packages;
const $ = (id) => document.getElementById(id);

let builtFor = null; // the part whose value pickers are on the page

function part(view) {
  return view.part ? DATA[String(view.part.id)] : null;
}

function teamName(view, id) {
  const row = view.standings.find((r) => r.team === id);
  return row ? row.name : String(id);
}

export function packagesPayload(type, button, view) {
  if (type === "turn.start") return { team: Number($("pkg-team").value) };
  if (type === "package.pick") {
    const values = [...$("pkg-values").querySelectorAll("select")].map((s) => Number(s.value));
    return values.every((v) => v > 0) ? { values } : { error: L.pick_values };
  }
  if (type === "question.show" && button.dataset.question) return { question: Number(button.dataset.question) };
  if (type === "answer.mark" || type === "steal.mark") return { correct: button.dataset.correct === "true" };
  return null;
}

export function packagesFits(button, view, pending) {
  if (!button.closest("#final-packages")) return undefined;
  const q = view.question;
  const phase = q ? q.phase : null;
  const turn = view.turn;
  const open = pending.includes(phase);
  switch (button.dataset.finalAct) {
    case "turn.start":
      return !open;
    case "package.pick":
      return Boolean(turn) && !turn.values.length;
    case "question.show":
      return Boolean(turn) && turn.values.length > turn.asked && !open;
    case "answer.mark":
      return phase === "shown" && Boolean(turn);
    case "steal.mark":
      return phase === "stealing";
    case "steal.close":
      return phase === "steal_open";
    case "reveal":
      return phase === "marked";
    default:
      return undefined;
  }
}

function buildPickers(data) {
  const pickers = [];
  for (let i = 0; i < data.per_turn; i += 1) {
    const id = `pkg-value-${i}`;
    const select = el("select", { id, class: "console-select" }, el("option", { value: "", text: "—" }),
      ...data.values.map((v) => el("option", { value: v, text: num(v) })));
    pickers.push(el("label", { for: id, text: fill(L.question_n, { n: i + 1 }) }), select);
  }
  $("pkg-values").replaceChildren(...pickers);
}

export function drawPackages(view) {
  const data = part(view);
  if (!data) return;
  if (builtFor !== view.part.id) {
    builtFor = view.part.id;
    buildPickers(data);
  }
  const turn = view.turn;
  const q = view.question;
  const summary = [];
  if (turn) {
    summary.push(`${turn.name}`);
    if (turn.values.length) summary.push(turn.values.map((v, i) => (i === turn.asked - 1 ? `[${num(v)}]` : num(v))).join(" · "));
    if (turn.star !== null && turn.star !== undefined) summary.push(`★ ${L.star}`);
    for (const [i, select] of [...$("pkg-values").querySelectorAll("select")].entries()) {
      if (turn.values.length) select.value = String(turn.values[i] ?? "");
    }
  }
  $("pkg-now").textContent = summary.join(" — ");
  $("pkg-stealer").textContent = q && q.phase === "stealing" && q.winner ? teamName(view, q.winner) : "—";
  drawQuestions(view, data);
}

// The questions of the package's next value that the part has not asked yet.
function drawQuestions(view, data) {
  const turn = view.turn;
  const list = $("pkg-questions");
  if (!turn || !turn.values.length || turn.asked >= turn.values.length) {
    $("pkg-next").textContent = "";
    list.replaceChildren();
    return;
  }
  const value = turn.values[turn.asked];
  const asked = new Set(view.asked || []);
  $("pkg-next").textContent = `${fill(L.question_n, { n: turn.asked + 1 })} · ${fill(L.points_n, { n: num(value) })}`;
  const open = view.question && ["shown", "steal_open", "stealing"].includes(view.question.phase);
  list.replaceChildren(...data.questions.filter((q) => q.points === value && !asked.has(q.id)).map((q) =>
    el("button", { type: "button", class: "run-question", "data-final-act": "question.show", "data-question": q.id, disabled: open },
      el("span", { class: "run-n", text: `${q.number}.` }), ` ${q.stem}`)));
}
