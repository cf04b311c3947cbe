// A judge's pad (templates/live/screens/judge.html): the rubric of the team on stage.
//
// The judge enters one mark per criterion (quarter points) and sends them; they may send again
// until the host closes the team's scoring. The other judges' marks appear only when the view
// carries them — once the host publishes the sheet — because the server sends nothing earlier.
// The form is rebuilt only when the team or the sheet's status changes, so marks being typed
// survive the `state` every other event of the show brings.

import { L, StageClient, el, fill, num, say } from "./client.js";

const root = document.getElementById("stage");
const stageLine = document.getElementById("judge-stage");
const formBox = document.getElementById("judge-form");
const sheetsBox = document.getElementById("judge-sheets");
const message = document.getElementById("judge-message");
const partLine = document.getElementById("judge-part");
const JUDGES = JSON.parse(document.getElementById("judge-names").textContent);

let shownKey = null;
let mineLine = null;

const client = new StageClient({ root, as: "device", onView: draw });

function currentSheet(view) {
  const team = view.on_stage && view.on_stage.team;
  return view.sheets.find((s) => s.team === team && (!view.part || s.part === view.part.id)) || null;
}

function draw(view) {
  partLine.textContent = view.part ? view.part.title : "";
  const onStage = view.on_stage && view.on_stage.team !== null ? view.on_stage : null;
  stageLine.textContent = onStage ? `${L.on_stage}: ${onStage.name}` : L.nobody_on_stage;
  const sheet = currentSheet(view);
  const key = [view.part ? view.part.id : "", onStage ? onStage.team : "", sheet ? sheet.status : "",
    view.criteria ? view.criteria.length : 0].join(":");
  if (key !== shownKey) {
    shownKey = key;
    formBox.replaceChildren(...buildForm(view, onStage, sheet));
  }
  if (mineLine) mineLine.textContent = sheet && sheet.mine ? `${L.marks_sent}: ${sheet.mine.map(num).join(" · ")}` : "";
  sheetsBox.replaceChildren(...view.sheets.map((s) => sheetRow(view, s)));
}

function buildForm(view, onStage, sheet) {
  mineLine = null;
  if (!view.criteria) return [el("p", { class: "pad-big", text: L.no_judged_part })];
  if (!onStage || !sheet) return [];
  const closed = sheet.status !== "open";
  const form = el("form", { class: "judge-rubric", novalidate: true });
  const inputs = view.criteria.map((criterion, i) => {
    const id = `mark-${i}`;
    const input = el("input", {
      type: "number", id, min: "0", max: String(criterion.max), step: "0.25", inputmode: "decimal",
      class: "judge-mark", required: true, disabled: closed,
    });
    if (sheet.mine && sheet.mine[i] !== undefined) input.value = String(sheet.mine[i]);
    form.append(el("div", { class: "judge-criterion" },
      el("label", { for: id, text: criterion.name }),
      input,
      el("span", { class: "judge-max", text: `/ ${num(criterion.max)}` })));
    return input;
  });
  const submit = el("button", { class: "button primary pad-send", text: L.submit_marks, disabled: closed });
  mineLine = el("p", { class: "pad-sent", role: "status" });
  form.append(submit, mineLine, el("p", { class: "pad-hint", text: closed ? L.scoring_closed : L.amend }));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const marks = inputs.map((input) => input.valueAsNumber);
    if (marks.some((m, i) => Number.isNaN(m) || m < 0 || m > view.criteria[i].max)) {
      say(message, L.bad_marks);
      return;
    }
    submit.disabled = true;
    const reply = await client.act("score.submit", { part: view.part.id, team: onStage.team, marks });
    submit.disabled = false;
    if (reply.ok) say(message, L.marks_sent, "info");
    else say(message, reply.message);
  });
  return [form];
}

function sheetRow(view, sheet) {
  const status = sheet.status === "published" ? L.published : sheet.status === "closed" ? L.scoring_closed : "";
  const row = el("li", { class: "judge-sheet" },
    el("strong", { text: sheet.name }),
    status ? el("span", { class: "tag", text: status }) : null,
    sheet.mine ? el("span", { text: ` ${L.marks_sent}: ${sheet.mine.map(num).join(" · ")}` }) : null);
  if (sheet.all) {
    const list = el("ul", { class: "judge-all" });
    for (const [judgeId, marks] of Object.entries(sheet.all)) {
      const judge = JUDGES.find((j) => String(j.id) === judgeId);
      list.append(el("li", { text: `${judge ? judge.name : fill(L.judge_n, { n: judgeId })}: ${marks.map(num).join(" · ")}` }));
    }
    row.append(list, el("p", { class: "judge-score", text: `${L.score}: ${num(sheet.score)}` }));
  }
  return row;
}
