// The projector's scenes for the final's formats (issue 7), used by screen.js:
// - packages: a band with the turn's team, its package values (the current one lit, ★ where the
//   star of hope is), the steal window's countdown and who steals;
// - Rung chuông vàng ("seats"): "Còn lại 37/100" and the grid of seats, alive bright, out dim;
//   a smaller grid under the question while the players answer and at the reveal;
// - the podium: places revealed from the last one up, the top three on steps, 1st in the middle.

import { L, countdown, el, fill, num } from "./client.js";

const QUESTION_SCENES = ["question", "options", "buzz", "reveal", "timer"];

// The scene with the final's extras around it: the turn band on top, the seats below.
export function decorate(view, scene, drawn) {
  const part = view.part ? view.part.format : null;
  if (part === "packages" && view.turn && (scene === "title" || QUESTION_SCENES.includes(scene))) {
    return [turnBand(view), ...drawn];
  }
  const q = view.question;
  if (part === "elimination" && view.players && q && ["question", "options", "reveal"].includes(scene)) {
    if (q.phase === "answering" || q.phase === "revealed") return [...drawn, seatGrid(view.players, true)];
  }
  return drawn;
}

export function seatsScene(view) {
  const players = view.players;
  if (!players) return null;
  return [
    view.part ? el("p", { class: "scene-kicker", text: view.part.title }) : null,
    el("p", { class: "seats-left", text: fill(L.left_n, players) }),
    seatGrid(players, false),
  ];
}

function seatGrid(players, small) {
  const grid = el("ol", { class: small ? "seats-grid is-small" : "seats-grid", "aria-label": fill(L.left_n, players) },
    ...players.seats.map((s) => el("li", { class: `seat is-${s.state}`, "data-seat": s.seat, text: String(s.seat) })));
  if (!small) return grid;
  return el("div", { class: "seats-strip" }, el("span", { class: "seats-strip-left", text: fill(L.left_n, players) }), grid);
}

function turnBand(view) {
  const turn = view.turn;
  const q = view.question;
  const onStage = q && q.phase !== "revealed" ? turn.asked - 1 : -1;
  const chips = turn.values.map((value, i) => {
    const star = q && turn.star === q.id && i === turn.asked - 1;
    const state = i === onStage ? "is-current" : i < turn.asked ? "is-done" : "";
    return el("li", { class: `turn-value ${state}` }, String(value), star ? el("span", { class: "turn-star", title: L.star, text: "★" }) : null);
  });
  const band = [
    el("span", { class: "turn-team", text: fill(L.turn_of, { name: turn.name }) }),
    el("ol", { class: "turn-values" }, ...chips),
  ];
  if (q && turn.star === q.id) band.push(el("span", { class: "turn-star-label" }, el("span", { class: "turn-star", text: "★" }), ` ${L.star}`));
  const steal = stealLine(view);
  return el("div", { class: "turn-band" }, el("div", { class: "turn-row" }, ...band), steal);
}

function stealLine(view) {
  const q = view.question;
  if (!q) return null;
  if (q.phase === "steal_open") {
    const seconds = view.timer && view.timer.duration ? num(view.timer.duration) : "";
    return el("p", { class: "turn-steal" }, el("span", { text: fill(L.steal_open, { n: seconds }) }), " ",
      countdown(view.timer, { cls: "countdown turn-clock" }));
  }
  if (q.phase === "stealing" && q.winner_name) {
    return el("p", { class: "turn-steal is-stealing", text: fill(L.stealing, { name: q.winner_name }) });
  }
  return null;
}

export function podiumScene(view) {
  const podium = view.podium;
  if (!podium) return null;
  const { shown, teams, rows } = podium;
  const first = teams - shown + 1; // the place of rows[0], the newest revealed
  const placed = new Map(rows.map((row, i) => [first + i, row]));
  const steps = Math.min(3, teams);
  const podiumRow = el("ol", { class: "podium-steps" }, ...[2, 1, 3].filter((p) => p <= steps).map((place) => {
    const row = placed.get(place);
    return el("li", { class: `podium-step podium-${place}${row ? " is-shown" : ""}${place === first ? " is-new" : ""}` },
      row ? el("span", { class: "podium-name", text: row.name }) : el("span", { class: "podium-name", text: "?" }),
      row ? el("span", { class: "podium-total", text: num(row.total) }) : null,
      el("span", { class: "podium-block", text: String(place) }));
  }));
  const rest = [];
  for (let place = teams; place > steps; place -= 1) {
    const row = placed.get(place);
    if (!row) continue;
    rest.push(el("li", { class: `podium-row${place === first ? " is-new" : ""}` },
      el("span", { class: "podium-place", text: fill(L.place_n, { n: place }) }),
      el("span", { class: "podium-name", text: row.name }),
      el("span", { class: "podium-total", text: num(row.total) })));
  }
  return [
    el("h1", { class: "scene-heading", text: L.results }),
    podiumRow,
    rest.length ? el("ol", { class: "podium-rest" }, ...rest) : null,
  ];
}
