// The MC's script (templates/live/screens/script.html): the host's view, read-only, in large type.
//
// Now: the part, the question, its right answer, the explanation and the MC's notes (how to
// pronounce a name, what to say). Next: the following question of the part with its notes, or
// the next part's title. The run of show comes from the page (the contest's setup); where the
// show stands comes from the host's view. This page never sends an action.

import { L, StageClient, countdown, el, fill, hasTimer } from "./client.js";

const root = document.getElementById("stage");
const $ = (id) => document.getElementById(id);
const PARTS = JSON.parse($("script-parts").textContent);

new StageClient({ root, as: "host", onView: draw });

function draw(view) {
  $("script-part").textContent = view.part ? `· ${view.part.title}` : "";
  $("script-clock").replaceChildren(hasTimer(view.timer) ? countdown(view.timer) : "");
  drawNow(view);
  drawNext(view);
}

function notes(text) {
  return text ? el("p", { class: "script-notes" }, el("strong", { text: `${L.notes}: ` }), text) : null;
}

function drawNow(view) {
  const box = $("script-question");
  const q = view.question;
  if (!view.part) {
    box.replaceChildren(el("p", { class: "script-big", text: view.finished ? L.results : L.not_started }));
    return;
  }
  if (!q) {
    box.replaceChildren(el("p", { class: "script-big", text: view.part.title }), el("p", { class: "script-muted", text: L.no_question }));
    return;
  }
  const phase = L.phases[q.phase] || q.phase;
  const parts = [
    el("p", { class: "script-qhead" },
      el("strong", { text: fill(L.question_n, { n: q.number }) }),
      el("span", { class: "script-phase", text: phase })),
    el("div", { class: "script-stem", html: q.stem_html }),
  ];
  if (q.options) {
    parts.push(el("ol", { class: "script-options" }, ...q.options.map((o) => el("li", {
      class: o.correct ? "is-correct" : "",
    }, el("strong", { text: `${o.letter}. ` }), o.text, o.correct ? " ✓" : ""))));
  }
  parts.push(el("p", { class: "script-correct" }, el("strong", { text: `${L.correct_answer}: ` }), q.correct_text || "—"));
  if (q.explanation_html) {
    parts.push(el("div", { class: "script-explanation" }, el("strong", { text: `${L.explanation}: ` }), el("div", { html: q.explanation_html })));
  }
  parts.push(notes(q.notes));
  box.replaceChildren(...parts.filter(Boolean));
}

// What the MC says next: the next question of this part, else the next part, else the results.
function drawNext(view) {
  const box = $("script-next");
  const at = view.part ? PARTS.findIndex((p) => p.id === view.part.id) : -1;
  const part = PARTS[at];
  if (part) {
    const index = view.question ? part.questions.findIndex((q) => q.id === view.question.id) : -1;
    const next = part.questions[index + 1];
    if (next) {
      box.replaceChildren(
        el("p", { class: "script-qhead" }, el("strong", { text: fill(L.question_n, { n: next.number }) })),
        el("div", { class: "script-stem script-stem-next", html: next.stem_html }),
        notes(next.notes) || "");
      return;
    }
  }
  const following = PARTS[at + 1];
  if (following) {
    box.replaceChildren(el("p", { class: "script-muted", text: L.next_part }), el("p", { class: "script-big", text: following.title }));
  } else {
    box.replaceChildren(el("p", { class: "script-big", text: L.end }));
  }
}
