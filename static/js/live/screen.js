// The projector (templates/live/screens/screen.html): one scene at a time, as the host picks it.
//
// Everything is drawn from the projector's view, which holds a right answer only once its
// question is revealed (live/views.py builds it from an allowlist); this script adds nothing.
// Nothing here takes input, so the whole scene is redrawn on every view.

import { L, StageClient, countdown, el, fill, hasTimer, num } from "./client.js";
import { standingsList as table } from "./standings.js";
import { pollScene, watchTally } from "./poll-chart.js";
import { decorate, podiumScene, seatsScene } from "./screen-final.js";

const root = document.getElementById("stage");
const sceneBox = document.getElementById("scene");
const CONTEST_TITLE = root.dataset.title;

watchTally(new StageClient({ root, as: "device", onView: draw }));

function draw(view) {
  const scene = SCENES[view.scene] ? view.scene : "title";
  const needsQuestion = ["question", "options", "buzz", "reveal"].includes(scene);
  const drawn = needsQuestion && !view.question ? SCENES.title(view) : SCENES[scene](view);
  sceneBox.dataset.scene = needsQuestion && !view.question ? "title" : scene;
  sceneBox.replaceChildren(...decorate(view, sceneBox.dataset.scene, drawn).filter(Boolean));
}

const SCENES = {
  // The final's scenes (screen-final.js): Rung chuông vàng's seats, the closing podium.
  seats: (view) => seatsScene(view) || SCENES.title(view),
  podium: (view) => podiumScene(view) || SCENES.title(view),
  blank: () => [],
  title: (view) => [
    view.part ? el("p", { class: "scene-kicker", text: view.title || CONTEST_TITLE }) : null,
    el("h1", { class: "scene-title", text: view.part ? view.part.title : view.title || CONTEST_TITLE }),
  ],
  question: (view) => [head(view), stem(view.question)],
  options: (view) => [head(view, true), stem(view.question), options(view.question), answered(view)],
  timer: (view) => bigCountdown(view),
  buzz: (view) => buzz(view),
  reveal: (view) => reveal(view),
  scoreboard: (view) => [el("h1", { class: "scene-heading", text: L.standings }), table(view.standings)],
  stage: (view) => stage(view),
  results: (view) => [
    el("p", { class: "scene-kicker", text: view.title || CONTEST_TITLE }),
    el("h1", { class: "scene-heading", text: L.results }),
    table(view.standings, true),
  ],
  poll: (view) => (view.poll ? [pollScene(view)] : SCENES.title(view)),
};

function head(view, withTimer = false) {
  const q = view.question;
  return el("header", { class: "scene-head" },
    el("span", { class: "scene-part", text: view.part ? view.part.title : "" }),
    el("span", { class: "scene-number", text: fill(L.question_n, { n: q.number }) }),
    el("span", { class: "scene-points", text: fill(L.points_n, { n: num(q.points) }) }),
    withTimer && hasTimer(view.timer) ? countdown(view.timer, { cls: "countdown scene-clock" }) : null);
}

function stem(q) {
  return el("div", { class: "scene-stem", html: q.stem_html });
}

function options(q, revealed = false) {
  if (q.options) {
    return el("ol", { class: "scene-options" }, ...q.options.map((o) => el("li", {
      class: revealed && o.correct ? "scene-option is-correct" : revealed ? "scene-option is-dim" : "scene-option",
    }, el("span", { class: "scene-letter", text: o.letter }), el("span", { text: o.text }))));
  }
  if (q.items) {
    return el("ol", { class: "scene-items" }, ...q.items.map((item) => el("li", { text: item.text })));
  }
  return null;
}

function answered(view) {
  const q = view.question;
  if (!view.part || view.part.format !== "all_answer" || q.phase === "shown") return null;
  return el("p", { class: "scene-answered", text: fill(L.answered_n, { n: q.answered, total: q.teams }) });
}

function buzzOrder(q) {
  if (!q.buzzes || !q.buzzes.length) return null;
  return el("ol", { class: "scene-buzzes", "aria-label": L.buzz_order }, ...q.buzzes.map((b) => el("li", {
    class: `buzz-${b.kind}`,
  }, el("span", { text: b.name }), el("span", { class: "scene-ms", text: b.ms === null ? L.early : `${num(b.ms)} ms` }))));
}

function buzz(view) {
  const q = view.question;
  return [
    head(view),
    el("p", { class: "scene-winner", text: q.winner_name || "" }),
    hasTimer(view.timer) ? el("div", { class: "scene-big-clock" }, countdown(view.timer)) : null,
    buzzOrder(q),
  ];
}

function reveal(view) {
  const q = view.question;
  const parts = [head(view), stem(q), options(q, true)];
  if (!q.options && q.correct_text) {
    parts.push(el("p", { class: "scene-correct is-correct" }, el("strong", { text: `${L.correct_answer}: ` }), q.correct_text));
  }
  if (q.explanation_html) parts.push(el("div", { class: "scene-explanation", html: q.explanation_html }));
  if (q.answers) {
    parts.push(el("ul", { class: "scene-answers" }, ...q.answers.map((a) => el("li", {
      class: a.fraction > 0 ? "is-right" : "is-wrong",
    }, el("span", { class: "scene-team", text: a.name }), el("span", { class: "scene-given", text: a.answer || L.no_answer }),
    el("strong", { text: `+${num(a.points || 0)}` })))));
  }
  if (q.winner_name || q.right) parts.push(buzzOrder(q));
  return parts;
}

function stage(view) {
  const block = view.stage;
  if (!block) return SCENES.title(view);
  const parts = [
    el("p", { class: "scene-kicker", text: view.part ? view.part.title : "" }),
    el("h1", { class: "scene-title", text: block.name }),
  ];
  const performance = block.performance;
  if (hasTimer(view.timer)) {
    parts.push(el("div", { class: "scene-big-clock" }, countdown(view.timer, { overtime: true })));
  } else if (performance && performance.elapsed_s !== null && performance.elapsed_s !== undefined) {
    const over = performance.penalty ? ` · ${fill(L.penalty, { n: num(performance.penalty) })}` : "";
    parts.push(el("p", { class: "scene-elapsed", text: `${clock(performance.elapsed_s)}${over}` }));
  }
  if (block.score !== undefined && block.score !== null) {
    parts.push(el("p", { class: "scene-score" }, el("span", { text: `${L.score}: ` }), el("strong", { text: num(block.score) })));
  }
  return parts;
}

function clock(seconds) {
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
}

// The big countdown ("Đồng hồ lớn"): the stage timer alone on the screen, red in its last 10 s,
// "HẾT GIỜ" at zero (client.js draws data-countdown="big"). No timer set: the part's title.
function bigCountdown(view) {
  if (!hasTimer(view.timer)) return SCENES.title(view);
  return [countdown(view.timer, { big: true, cls: "countdown scene-countdown" })];
}
