// A team's pad (templates/live/screens/pad.html): phone first, big buttons.
//
// The pad shows what `view.status` says: waiting, answer, locked, buzz, won, result. It never
// learns the right answer before the reveal (the server does not send it), so nothing here can
// leak it. A new `state` arrives after every event of the show — another team's answer too —
// so the answer area is rebuilt only when the question or the status changes; otherwise a
// half-typed answer or a half-chosen order would be wiped.

import { L, StageClient, countdown, el, fill, num, say } from "./client.js";
import { packageBody } from "./pad-packages.js";

const root = document.getElementById("stage");
const body = document.getElementById("pad-body");
const message = document.getElementById("pad-message");
const teamName = document.getElementById("pad-team");
const total = document.getElementById("pad-total");

let shownKey = null;
let sentLine = null; // "Đã gửi: B", kept up to date from view.my_answer

const client = new StageClient({ root, as: "device", onView: draw });

function keyOf(view) {
  const q = view.question;
  const star = view.turn ? `${view.can_star}-${view.turn.star}` : ""; // packages: the star of hope
  return [view.status, q ? q.id : "", view.buzzers_open ? "open" : "", star].join(":");
}

function draw(view) {
  root.style.setProperty("--team", view.team.colour || "#1d4ed8");
  teamName.textContent = view.team.name;
  total.textContent = num(view.team.total);
  const key = keyOf(view);
  if (key !== shownKey) {
    shownKey = key;
    body.replaceChildren(...build(view));
    body.dataset.status = view.status;
  }
  if (sentLine) sentLine.textContent = view.my_answer ? fill(L.sent, { answer: view.my_answer }) : "";
}

function build(view) {
  const q = view.question;
  const part = view.part ? el("p", { class: "pad-part", text: view.part.title }) : null;
  const number = q ? el("p", { class: "pad-number", text: fill(L.question_n, { n: q.number }) }) : null;
  sentLine = null;
  if (q && view.part && view.part.format === "packages") return packageBody(view, { client, message, part, number });
  switch (view.status) {
    case "answer":
      return [part, number, countdown(view.timer, { cls: "countdown pad-countdown" }),
        el("div", { class: "pad-stem", html: q.stem_html }), ...answerArea(q)];
    case "locked":
      return [part, number, lockedBlock(view)];
    case "buzz":
      return [part, number, buzzBlock(view)];
    case "won":
      return [part, number, el("p", { class: "pad-big pad-won", text: L.won }),
        countdown(view.timer, { cls: "countdown pad-countdown" })];
    case "result":
      return [part, number, resultBlock(view)];
    default:
      return [part, el("p", { class: "pad-big pad-waiting", text: L.waiting })];
  }
}

function sentParagraph() {
  sentLine = el("p", { class: "pad-sent", role: "status" });
  return sentLine;
}

async function send(response, shown) {
  say(message, L.sending, "info");
  const reply = await client.act("answer.submit", { question: client.view.question.id, response });
  if (reply.ok) {
    say(message, "");
    if (sentLine) sentLine.textContent = fill(L.sent, { answer: shown });
  } else {
    say(message, reply.message);
  }
  return reply.ok;
}

// ---- answering -------------------------------------------------------------------------------

function answerArea(q) {
  if (q.type === "single") return [singleChoice(q), sentParagraph()];
  if (q.type === "multiple") return [multipleChoice(q), sentParagraph()];
  if (q.type === "true_false") return [trueFalse(), sentParagraph()];
  if (q.type === "ordering") return [ordering(q), sentParagraph()];
  return [textAnswer(q), sentParagraph()];
}

function optionButton(option) {
  return el("button", { type: "button", class: "pad-option", "data-index": option.index },
    el("span", { class: "pad-letter", text: option.letter }),
    el("span", { class: "pad-option-text", text: option.text }));
}

function choose(box, button) {
  for (const other of box.querySelectorAll(".pad-option")) other.classList.toggle("is-chosen", other === button);
}

function singleChoice(q) {
  const box = el("div", { class: "pad-options" });
  for (const option of q.options) {
    const button = optionButton(option);
    button.addEventListener("click", async () => {
      choose(box, button);
      await send(option.index, option.letter);
    });
    box.append(button);
  }
  return box;
}

function multipleChoice(q) {
  const box = el("div", { class: "pad-options" });
  for (const option of q.options) {
    const button = optionButton(option);
    button.setAttribute("aria-pressed", "false");
    button.addEventListener("click", () => {
      const on = button.getAttribute("aria-pressed") !== "true";
      button.setAttribute("aria-pressed", String(on));
      button.classList.toggle("is-chosen", on);
    });
    box.append(button);
  }
  const submit = el("button", { type: "button", class: "button primary pad-send", text: L.send });
  submit.addEventListener("click", () => {
    const chosen = [...box.querySelectorAll('[aria-pressed="true"]')].map((b) => Number(b.dataset.index));
    const letters = chosen.map((i) => q.options[i].letter).join(", ");
    if (chosen.length) send(chosen, letters);
  });
  return el("div", {}, box, submit);
}

function trueFalse() {
  const box = el("div", { class: "pad-options pad-two" });
  for (const [value, label] of [[true, L.true], [false, L.false]]) {
    const button = el("button", { type: "button", class: "pad-option", text: label });
    button.addEventListener("click", () => {
      choose(box, button);
      send(value, label);
    });
    box.append(button);
  }
  return box;
}

function textAnswer(q) {
  const input = el("input", {
    type: "text", class: "pad-input", "aria-label": L.type_answer, placeholder: L.type_answer,
    inputmode: q.type === "numeric" ? "decimal" : "text", autocomplete: "off", maxlength: "500",
  });
  const unit = q.unit ? el("span", { class: "pad-unit", text: q.unit }) : null;
  const submit = el("button", { type: "submit", class: "button primary pad-send", text: L.send });
  const form = el("form", { class: "pad-text" }, el("div", { class: "pad-text-row" }, input, unit), submit);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (text) send(text, text);
  });
  return form;
}

// Ordering: tap the items in the order the team thinks right; positions are the shown ones.
function ordering(q) {
  const picked = [];
  const list = el("ol", { class: "pad-order" });
  const box = el("div", { class: "pad-options" });
  const submit = el("button", { type: "button", class: "button primary pad-send", text: L.send, disabled: true });
  const clear = el("button", { type: "button", class: "button pad-clear", text: L.clear });
  const redraw = () => {
    list.replaceChildren(...picked.map((i) => el("li", { text: q.items[i].text })));
    for (const button of box.children) button.disabled = picked.includes(Number(button.dataset.index));
    submit.disabled = picked.length !== q.items.length;
  };
  for (const item of q.items) {
    const button = el("button", { type: "button", class: "pad-option", "data-index": item.index, text: item.text });
    button.addEventListener("click", () => {
      picked.push(item.index);
      redraw();
    });
    box.append(button);
  }
  clear.addEventListener("click", () => {
    picked.length = 0;
    redraw();
  });
  submit.addEventListener("click", () => send([...picked], picked.map((i) => i + 1).join(" → ")));
  return el("div", {}, el("p", { class: "pad-hint", text: L.order_hint }), box, list,
    el("div", { class: "pad-row" }, clear, submit));
}

// ---- the other states ------------------------------------------------------------------------

function lockedBlock(view) {
  const buzzer = view.part && ["buzzer", "sudden_death"].includes(view.part.format);
  const out = buzzer && Boolean(view.out);
  const text = buzzer ? (out ? L.locked_out : L.buzz_wait) : L.locked;
  return el("div", {}, el("p", { class: "pad-big pad-locked", text }), buzzer ? null : sentParagraph());
}

function buzzBlock(view) {
  const open = Boolean(view.buzzers_open);
  const button = el("button", { type: "button", class: "pad-buzz", "data-open": String(open), text: L.buzz });
  const note = el("p", { class: open ? "pad-note pad-open" : "pad-note pad-warning", text: open ? L.buzz_open : L.buzz_early });
  button.addEventListener("click", async () => {
    const question = client.view.question.id;
    const pressedAt = client.serverNow(); // the press on the server's clock, before any wait
    button.disabled = true;
    const reply = await client.act("buzz", { question, pressed_at: pressedAt });
    if (reply.ok) {
      say(message, ""); // the new status (won, or out) has already been drawn
    } else {
      button.disabled = false;
      say(message, reply.message);
    }
  });
  return el("div", { class: "pad-buzz-box" }, note, button);
}

function resultBlock(view) {
  const q = view.question;
  const parts = [];
  const buzzer = view.part && ["buzzer", "sudden_death"].includes(view.part.format);
  if (buzzer && view.result && view.result.points !== null) {
    // Only the team that answered aloud has a result of its own on a buzzer question.
    const right = view.result.right;
    parts.push(el("p", { class: `pad-big ${right ? "pad-right" : "pad-wrong"}`, text: right ? L.right : L.wrong }));
    parts.push(el("p", { class: "pad-earned", text: fill(L.earned, { n: num(view.result.points) }) }));
  } else if (view.result && !buzzer) {
    const right = (view.result.fraction || 0) > 0;
    parts.push(el("p", { class: `pad-big ${right ? "pad-right" : "pad-wrong"}`, text: right ? L.right : L.wrong }));
    parts.push(el("p", { class: "pad-earned", text: fill(L.earned, { n: num(view.result.points || 0) }) }));
    parts.push(el("p", { class: "pad-mine", text: `${L.your_answer}: ${view.my_answer || L.no_answer}` }));
  } else {
    parts.push(el("p", { class: "pad-big", text: L.question_over }));
  }
  if (q && q.correct_text) {
    parts.push(el("p", { class: "pad-correct is-correct" }, el("strong", { text: `${L.correct_answer}: ` }), q.correct_text));
  }
  return el("div", { class: "pad-result" }, ...parts);
}
