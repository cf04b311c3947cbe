// A team's pad in a packages part ("Về đích", as in Olympia's final), drawn into pad.js's body.
//
// `own`: the team's turn — it answers aloud, and may put its star of hope on the question once
// in the part; `steal`: another team's answer was wrong, a big button wins the right to answer;
// `won`: this team stole it; `result`: what this team earned on the question. The right answer
// arrives only with the reveal, like every pad's.

import { L, countdown, el, fill, num, say } from "./client.js";

export function packageBody(view, context) {
  return body(view, context).filter(Boolean);
}

function body(view, { client, message, part, number }) {
  const mine = view.turn && view.team && view.turn.team === view.team.id;
  const clock = () => countdown(view.timer, { cls: "countdown pad-countdown" });
  switch (view.status) {
    case "own":
      return [part, number, el("p", { class: "pad-big pad-own", text: L.own_turn }), clock(), starBlock(view, client, message)];
    case "steal":
      return [part, number, stealBlock(view, client, message), clock()];
    case "won":
      return [part, number, el("p", { class: "pad-big pad-won", text: L.won }), clock()];
    case "result":
      return [part, number, resultBlock(view, mine)];
    case "locked":
      return [part, number, el("p", { class: "pad-big pad-locked", text: mine ? L.wrong : L.buzz_wait })];
    default:
      return [part, number, el("p", { class: "pad-big pad-waiting", text: view.turn ? `${L.other_turn}: ${view.turn.name}` : L.waiting })];
  }
}

function starBlock(view, client, message) {
  const question = view.question.id;
  if (view.turn && view.turn.star === question) {
    return el("p", { class: "pad-star-placed", text: `★ ${L.star_placed}` });
  }
  if (!view.can_star) return null;
  const button = el("button", { type: "button", class: "pad-star", text: `★ ${L.star_place}` });
  button.addEventListener("click", async () => {
    button.disabled = true;
    const reply = await client.act("star.place", { question });
    if (!reply.ok) {
      button.disabled = false;
      say(message, reply.message);
    }
  });
  return button;
}

function stealBlock(view, client, message) {
  const button = el("button", { type: "button", class: "pad-buzz pad-steal", "data-open": "true", text: L.steal });
  button.addEventListener("click", async () => {
    // The press moment on the server's clock, taken before anything waits (the fair buzzer).
    const pressedAt = client.serverNow();
    button.disabled = true;
    const reply = await client.act("buzz", { question: client.view.question.id, pressed_at: pressedAt });
    if (!reply.ok) {
      button.disabled = false;
      say(message, reply.message);
    }
  });
  return el("div", { class: "pad-buzz-box" }, el("p", { class: "pad-note pad-open", text: L.steal_hint }), button);
}

function resultBlock(view, mine) {
  const q = view.question;
  const result = view.result || {};
  const involved = result.points !== null && result.points !== undefined;
  const parts = [];
  if (involved || mine) {
    const right = Boolean(result.right);
    parts.push(el("p", { class: `pad-big ${right ? "pad-right" : "pad-wrong"}`, text: right ? L.right : L.wrong }));
    if (involved) {
      const sign = result.points > 0 ? "+" : "";
      parts.push(el("p", { class: "pad-earned", text: fill(L.points_n, { n: `${sign}${num(result.points)}` }) }));
    }
  } else {
    parts.push(el("p", { class: "pad-big", text: L.question_over }));
  }
  if (q && q.correct_text) {
    parts.push(el("p", { class: "pad-correct is-correct" }, el("strong", { text: `${L.correct_answer}: ` }), q.correct_text));
  }
  return el("div", { class: "pad-result" }, ...parts);
}
