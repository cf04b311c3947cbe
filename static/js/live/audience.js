// An audience phone (templates/live/screens/audience.html): the open poll and the public standings.
//
// A favourite-team poll shows one button per team in its colour; an audience question its stem and
// options A–D — the audience view carries no right answer, so there is none to leak. One device,
// one vote: a second tap changes the choice until the host closes the poll. The choice is kept in
// this browser (localStorage) only to highlight it again after a reload; the server holds the vote.

import { L, StageClient, el, fill, num, say } from "./client.js";
import { standingsList } from "./standings.js";

const root = document.getElementById("stage");
const $ = (id) => document.getElementById(id);
const COLOURS = JSON.parse($("audience-colours").textContent);
const message = $("audience-message");
const pollBox = $("audience-poll");
const board = $("audience-standings");
const contest = root.dataset.contest;

const client = new StageClient({ root, as: "device", onView: draw });
let current = null;
let sending = false;

function storeKey(seq) {
  return `hoithi-vote-${contest}-${seq}`;
}

function chosen(seq) {
  try {
    const value = window.localStorage.getItem(storeKey(seq));
    return value === null ? null : Number(value);
  } catch {
    return null; // private browsing without storage: only the highlight is lost
  }
}

function remember(seq, choice) {
  try {
    window.localStorage.setItem(storeKey(seq), String(choice));
  } catch {
    // the vote itself is on the server
  }
}

function draw(view) {
  current = view;
  board.replaceChildren(standingsList(view.standings) || "");
  drawPoll(view.poll);
}

function letter(index) {
  return String.fromCharCode(65 + index);
}

function drawPoll(poll) {
  if (!poll) {
    pollBox.replaceChildren(el("p", { class: "audience-waiting", text: L.no_poll }));
    return;
  }
  const mine = chosen(poll.seq);
  const favourite = poll.kind === "favourite";
  const parts = [el("h2", { class: "audience-poll-title", text: favourite ? L.favourite_title : L.question_title })];
  if (!favourite) parts.push(el("div", { class: "audience-stem", html: poll.stem_html }));
  const total = poll.tally ? Object.values(poll.tally).reduce((a, b) => a + b, 0) : 0;
  const buttons = poll.choices.map((choice, i) => {
    const isMine = mine === choice.value;
    const button = el("button", {
      type: "button",
      class: `audience-choice${isMine ? " is-chosen" : ""}`,
      "aria-pressed": isMine ? "true" : "false",
      "data-choice": choice.value,
      disabled: !poll.open,
    },
    favourite ? el("span", { class: "audience-swatch", "aria-hidden": "true" }) : el("span", { class: "audience-letter", text: letter(i) }),
    el("span", { class: "audience-choice-text", text: choice.label }),
    poll.tally ? el("span", { class: "audience-count", text: fill(L.votes_n, { n: num(poll.tally[String(choice.value)] || 0) }) }) : null);
    button.style.setProperty("--team", favourite ? COLOURS[String(choice.value)] || "#1d4ed8" : "#1f4e8c");
    button.addEventListener("click", () => vote(poll.seq, choice.value));
    return button;
  });
  parts.push(el("div", { class: "audience-choices" }, ...buttons));
  if (poll.open && mine !== null) parts.push(el("p", { class: "audience-voted", role: "status", text: L.voted }));
  if (poll.open && mine === null) parts.push(el("p", { class: "audience-hint", text: L.poll_open }));
  if (!poll.open) {
    parts.push(el("p", { class: "audience-closed", text: L.poll_closed }));
    parts.push(el("p", { class: "audience-total", text: fill(L.total_n, { n: num(total) }) }));
  }
  pollBox.replaceChildren(...parts);
}

async function vote(seq, choice) {
  if (sending) return;
  if (!client.socket.connected) {
    say(message, L.not_sent);
    return;
  }
  sending = true;
  const reply = await client.emit("vote", { poll: seq, choice });
  sending = false;
  if (reply && reply.ok) {
    remember(seq, choice);
    say(message, "");
    if (current) drawPoll(current.poll);
  } else {
    say(message, reply ? reply.message : L.no_reply);
  }
}
