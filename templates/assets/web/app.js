// diplobrief web app: saves page loads in the chat and the pack form, and polls the
// progress of pack builds. Every page works without it. Written for this project;
// MIT licence, like the rest of diplobrief.
"use strict";

const HEADERS = { "X-Requested-With": "diplobrief" };

async function failure(response) {
  try {
    const body = await response.json();
    return body.error || response.statusText;
  } catch (error) {
    return response.statusText;
  }
}

function fragment(html) {
  const template = document.createElement("template");
  template.innerHTML = html.trim();
  return template.content.firstElementChild;
}

function enhanceChat() {
  const form = document.getElementById("ask");
  if (!form) return;
  const log = document.getElementById("log");
  const input = document.getElementById("q");
  const status = document.getElementById("ask-status");
  const button = document.getElementById("ask-button");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!input.value.trim()) return;
    const data = new FormData(form);
    status.textContent = form.dataset.busy;
    button.disabled = true;
    try {
      const response = await fetch(form.action, { method: "POST", body: data, headers: HEADERS });
      if (!response.ok) {
        status.textContent = `${form.dataset.failed} ${await failure(response)}`;
        return;
      }
      const turn = fragment(await response.text());
      log.appendChild(turn);
      const session = response.headers.get("X-Session");
      form.elements.session.value = session;
      history.replaceState(null, "", `/?session=${encodeURIComponent(session)}`);
      input.value = "";
      status.textContent = "";
      turn.scrollIntoView({ block: "start" });
    } catch (error) {
      status.textContent = `${form.dataset.failed} ${error}`;
    } finally {
      button.disabled = false;
      input.focus({ preventScroll: true });
    }
  });
}

const FINAL = ["done", "failed", "cancelled"];

function watchJob(item) {
  const id = item.dataset.job;
  const tick = async () => {
    let job;
    try {
      const response = await fetch(`/api/jobs/${encodeURIComponent(id)}`, { headers: HEADERS });
      if (!response.ok) return;
      job = await response.json();
    } catch (error) {
      setTimeout(tick, 2000);
      return;
    }
    const current = document.getElementById(`job-${id}`);
    if (!current) return;
    if (job.state !== current.dataset.state || FINAL.includes(job.state)) {
      const response = await fetch(`/packs/jobs/${encodeURIComponent(id)}`, { headers: HEADERS });
      if (response.ok) {
        const replacement = fragment(await response.text());
        current.replaceWith(replacement);
        enhanceCancel(replacement);
      }
    } else {
      current.querySelector("progress").value = job.progress;
      current.querySelector(".job-percent").textContent = `${job.progress}%`;
    }
    if (!FINAL.includes(job.state)) setTimeout(tick, 500);
  };
  setTimeout(tick, 300);
}

function enhanceCancel(item) {
  const form = item.querySelector(".cancel-form");
  if (!form) return;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    await fetch(`/api/jobs/${encodeURIComponent(item.dataset.job)}/cancel`, {
      method: "POST",
      headers: HEADERS,
    });
  });
}

function enhancePacks() {
  const form = document.getElementById("pack-form");
  if (!form) return;
  const jobs = document.getElementById("jobs");
  const status = document.getElementById("pack-status");
  for (const item of jobs.querySelectorAll("[data-job]")) {
    enhanceCancel(item);
    if (!FINAL.includes(item.dataset.state)) watchJob(item);
  }
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    status.textContent = form.dataset.busy;
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: HEADERS,
      });
      if (!response.ok) {
        status.textContent = `${form.dataset.failed} ${await failure(response)}`;
        return;
      }
      const item = fragment(await response.text());
      jobs.prepend(item);
      enhanceCancel(item);
      watchJob(item);
      status.textContent = "";
      item.scrollIntoView({ block: "center" });
    } catch (error) {
      status.textContent = `${form.dataset.failed} ${error}`;
    }
  });
}

document.addEventListener("DOMContentLoaded", () => {
  enhanceChat();
  enhancePacks();
});
