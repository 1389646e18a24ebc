// The presenter view (presenter.html): on the teacher's screen, the chapter's narration as
// notes with the cue being spoken marked, the next chapter's heading and thumbnail, the
// clocks, and controls that drive the film in its own window (index.html, on the
// projector). The words and times are the page data's (assets/page-data.js): the film's
// caption cues, each chapter's. What the film is doing comes from its window, through
// assets/link.js, whole each time, and that includes which film it shows (on a batch's
// page, the film picked and its language): this window keeps no film of its own, so
// closing it changes nothing there.
"use strict";

(() => {
  const page = window.BCE_PAGE;
  const $ = (id) => document.getElementById(id);
  // Said every second, so the film's window knows this one is open.
  const HELLO_EVERY = 1000;
  // This long without a word from the film's window, it is gone (closed, or reloaded with
  // another identity: then any film window of this folder that answers is taken).
  const FILM_TIMEOUT = 2500;

  // The film a choice (a batch's film, by its id; a page of one film has none) shows in
  // a language, as the film's window finds it (player.js): its own, or its first.
  function filmOf(choiceId, language) {
    const choices = page.choices;
    const choice = choices && (choices.find((c) => c.id === choiceId) || choices[0]);
    const languages = choice ? page.films.filter((f) => f.choice === choice.id) : page.films;
    return { choice, film: languages.find((f) => f.language === language) || languages[0] };
  }

  // Opened with the film's window's address query: ?film=<id>&lang=<lang>.
  const params = new URLSearchParams(location.search);
  let { choice, film } = filmOf(params.get("film"), params.get("lang"));
  // The film's window this one drives: the one that opened it, once it has spoken.
  let filmWindow = new URLSearchParams(location.hash.slice(1)).get("film");
  let heardAt = -Infinity;
  let state = null; // the film window's last word
  let shownChapter = -1;
  let shownCue = null;

  const link = window.bceLink(fromFilm);
  link.addPeer(window.opener);

  const fill = (template, values) =>
    template.replace(/\{(\w+)\}/g, (whole, key) => (key in values ? String(values[key]) : whole));

  function clock(seconds) {
    const whole = Math.max(0, Math.floor(seconds));
    const minutes = Math.floor(whole / 60);
    const hours = Math.floor(minutes / 60);
    const mm = hours ? String(minutes % 60).padStart(2, "0") : String(minutes);
    return `${hours ? `${hours}:` : ""}${mm}:${String(whole % 60).padStart(2, "0")}`;
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  const openedAt = performance.now();
  const connected = () => performance.now() - heardAt < FILM_TIMEOUT;
  // The film window named in the address (the opener) has a while to answer, and stays
  // ours while it speaks.
  const keepingOurs = () => filmWindow && performance.now() - Math.max(heardAt, openedAt) < FILM_TIMEOUT;

  function fromFilm(body, from) {
    if (body.kind !== "state") return;
    // Another film window of this folder: taken only once ours has gone quiet.
    if (from !== filmWindow && keepingOurs()) return;
    filmWindow = from;
    heardAt = performance.now();
    state = { ...body, at: performance.now() };
    show();
  }

  function command(action, extra = {}) {
    link.send({ kind: "command", to: filmWindow, action, ...extra });
  }

  function hello() {
    // To our film's window; when it is silent, to any (a reloaded one has a new identity).
    link.send({ kind: "hello", to: keepingOurs() ? filmWindow : null });
    show();
  }

  // --- what the view shows -------------------------------------------------------------------

  // A batch may hold both themes and both aspects: each film's look is its own, as the
  // film's window applies it when the film is picked.
  function fillLook() {
    if (!choice) return; // a page of one film: the look its HTML was written with
    const root = document.documentElement;
    root.dataset.theme = choice.theme;
    root.dataset.aspect = choice.aspect.replace(":", "x");
    for (const [name, value] of Object.entries(choice.colours)) root.style.setProperty(`--${name}`, value);
    document.querySelector('meta[name="color-scheme"]').content = choice.theme;
  }

  function fillWords() {
    const words = film.words;
    document.documentElement.lang = words.language_tag;
    document.title = fill(words.presenter_view_title, { title: film.title });
    $("pv-title").textContent = document.title;
    $("pv-elapsed-label").textContent = words.presenter_elapsed;
    $("pv-film-label").textContent = words.film;
    $("pv-left-label").textContent = words.presenter_left;
    $("pv-notes-heading").textContent = words.notes;
    $("pv-next-label").textContent = words.next;
    $("pv-previous").textContent = words.presenter_previous;
    $("pv-play").textContent = words.presenter_play;
    $("pv-next").textContent = words.presenter_next;
    $("pv-blank").textContent = words.presenter_blank;
    $("pv-keys").textContent = words.presenter_keys;
  }

  function fillNotes(index) {
    const chapter = film.chapters[index];
    $("pv-chapter").textContent = fill(film.words.presenter_current, {
      n: index + 1,
      total: film.chapters.length,
      heading: chapter.heading,
    });
    $("pv-notes").replaceChildren(
      ...chapter.cues.map((cue) => {
        const item = element("li", "pv-cue");
        item.dataset.id = cue.id;
        const button = element("button", "pv-cue-button");
        button.type = "button";
        button.append(element("span", "pv-cue-time", clock(cue.start)), element("span", "pv-cue-text", cue.text));
        button.addEventListener("click", () => command("cue", { id: cue.id }));
        item.append(button);
        return item;
      }),
    );
    const following = film.chapters[index + 1];
    const thumbnail = $("pv-next-thumbnail");
    thumbnail.hidden = !following;
    if (following) {
      thumbnail.src = following.thumbnail;
      thumbnail.width = 320;
      thumbnail.height = Math.round((320 * film.height) / film.width);
    }
    $("pv-next-heading").textContent = following
      ? fill(film.words.presenter_chapter, { n: index + 2, heading: following.heading })
      : film.words.the_end;
    shownCue = null;
  }

  function markCue(id) {
    if (id === shownCue) return;
    shownCue = id;
    const box = $("pv-notes");
    for (const item of box.children) {
      const now = item.dataset.id === id;
      item.classList.toggle("current", now);
      if (now) item.setAttribute("aria-current", "true");
      else item.removeAttribute("aria-current");
      // In the notes' own box: the view's page never moves.
      if (now && box.scrollHeight > box.clientHeight) {
        const top = item.getBoundingClientRect().top - box.getBoundingClientRect().top;
        box.scrollTop += top - box.clientHeight / 4;
      }
    }
  }

  function show() {
    const words = film.words;
    const status = $("pv-status");
    if (!state) {
      status.textContent = words.presenter_waiting;
      return;
    }
    if (!connected()) status.textContent = words.presenter_lost;
    else if (state.blanked) status.textContent = words.presenter_blanked;
    else status.textContent = "";
    // The film its window shows now: another language, or another of a batch's films.
    const shown = filmOf(state.choice, state.language);
    if (shown.film !== film) {
      ({ choice, film } = shown);
      shownChapter = -1;
      fillLook();
      fillWords();
    }
    const index = Math.max(0, Math.min(state.chapter, film.chapters.length - 1));
    if (index !== shownChapter) {
      shownChapter = index;
      fillNotes(index);
    }
    markCue(state.cue);
    // The film's clock between its words, as it runs on.
    const since = connected() && !state.paused ? (performance.now() - state.at) / 1000 : 0;
    const time = Math.min(state.time + since, film.duration);
    const chapter = film.chapters[index];
    $("pv-film-time").textContent = `${clock(time)} / ${clock(film.duration)}`;
    $("pv-left").textContent = clock(state.waiting ? 0 : chapter.end - time);
    const elapsed = state.presenting ? state.elapsed + (connected() ? (performance.now() - state.at) / 1000 : 0) : 0;
    $("pv-elapsed").textContent = clock(elapsed);
    $("pv-blank").setAttribute("aria-pressed", String(Boolean(state.blanked)));
    let doing = state.paused ? words.presenter_paused : words.presenter_playing;
    if (state.waiting) doing = words.presenter_stopped;
    $("pv-state").textContent = doing;
    document.body.classList.toggle("film-blanked", Boolean(state.blanked));
  }

  // --- controls and keys ------------------------------------------------------------------------

  $("pv-previous").addEventListener("click", () => command("previous"));
  $("pv-play").addEventListener("click", () => command("toggle"));
  $("pv-next").addEventListener("click", () => command("next"));
  $("pv-blank").addEventListener("click", () => command("blank"));

  // The film window's keys, sent to it: a clicker works here as there.
  const KEYS = {
    ArrowRight: "next",
    PageDown: "next",
    ArrowLeft: "previous",
    PageUp: "previous",
    " ": "toggle",
    b: "blank",
    ".": "blank",
  };
  document.addEventListener(
    "keydown",
    (event) => {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      const action = KEYS[event.key.length === 1 ? event.key.toLowerCase() : event.key];
      if (!action) return;
      event.preventDefault(); // not the page's scrolling, nor a focused button's click
      command(action);
    },
    true,
  );

  window.addEventListener("pagehide", () => link.send({ kind: "bye", to: filmWindow }));

  fillLook();
  fillWords();
  fillNotes(0);
  show();
  hello();
  setInterval(hello, HELLO_EVERY);
  // The clocks between the film's words.
  setInterval(show, 250);
})();
