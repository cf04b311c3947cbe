// The console's Rung chuông vàng controls (templates/live/screens/_console_elimination.html):
// how many are still in, normal and rescue questions ("cứu trợ": only the eliminated answer and
// the fastest N right come back), seats brought back or put out by hand, by number.

import { L, fill } from "./client.js";

const $ = (id) => document.getElementById(id);

function seatList() {
  const text = $("elim-seats").value.trim();
  const parts = text.split(/[\s,;]+/).filter(Boolean);
  if (!parts.length || !parts.every((p) => /^\d+$/.test(p))) return null;
  return parts.map(Number);
}

export function eliminationPayload(type, button) {
  if (!button.closest("#final-elimination")) return null;
  if (type === "answers.open") {
    return button.dataset.rescue ? { rescue: Math.max(1, Math.round(Number($("elim-rescue").value) || 1)) } : {};
  }
  if (type === "players.restore" || type === "players.eliminate") {
    const seats = seatList();
    return seats ? { seats } : { error: L.bad_seat_list };
  }
  return null;
}

export function eliminationFits(button, view) {
  if (!button.closest("#final-elimination")) return undefined;
  const q = view.question;
  const phase = q ? q.phase : null;
  const players = view.players;
  const out = players ? players.total - players.left : 0;
  switch (button.dataset.finalAct) {
    case "answers.open":
      if (!players || phase !== "shown") return false;
      return button.dataset.rescue ? out > 0 : players.left > 0;
    case "answers.close":
      return phase === "answering";
    case "reveal":
      return Boolean(q) && phase !== "revealed";
    case "players.restore":
      return Boolean(players) && out > 0;
    case "players.eliminate":
      return Boolean(players) && players.left > 0;
    default:
      return undefined;
  }
}

export function drawElimination(view) {
  const line = $("elim-count");
  if (!line) return;
  const players = view.players;
  line.textContent = players ? fill(L.left_n, players) : fill(L.seated_n, { n: line.dataset.seated });
}
