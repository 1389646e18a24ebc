// The page of bce-video: the film with its captions, a chapter list that follows it,
// keys, presenter mode, the embed snippet and the downloads. Everything comes from
// window.BCE_PAGE (assets/page-data.js) and is inserted as text, never as markup.
"use strict";

(() => {
  const page = window.BCE_PAGE;
  const $ = (id) => document.getElementById(id);
  const video = $("film");
  const list = $("chapters");
  // Within this much of a chapter's start, "previous" goes to the chapter before.
  const RESTART_GRACE = 1.0;
  // Times are frame-exact; this absorbs the rounding of a seek (well under half a frame).
  const EPSILON = 0.001;
  // Presenter mode holds this far before a chapter's end: on its last frame (a frame is
  // 17 ms at 60 fps), before the next chapter's first caption comes up.
  const HOLD_BEFORE_END = 0.01;

  const params = new URLSearchParams(location.search);
  let film = page.films.find((f) => f.language === params.get("lang")) || page.films[0];
  let captionLanguage = film.language;
  let captionsOn = true;
  let current = -1; // the chapter shown in the list as playing
  const presenter = {
    on: false,
    stopAt: -1, // the chapter whose end the film stops at
    waitingAfter: -1, // stopped at the end of this chapter, showing the next one's heading
    startedAt: 0,
    ticker: 0,
  };

  const fill = (template, values) =>
    template.replace(/\{(\w+)\}/g, (whole, key) => (key in values ? String(values[key]) : whole));

  function clock(seconds) {
    const whole = Math.max(0, Math.floor(seconds));
    const minutes = Math.floor(whole / 60);
    const hours = Math.floor(minutes / 60);
    const mm = hours ? String(minutes % 60).padStart(2, "0") : String(minutes);
    return `${hours ? `${hours}:` : ""}${mm}:${String(whole % 60).padStart(2, "0")}`;
  }

  function size(bytes) {
    if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
    return `${Math.max(1, Math.round(bytes / 1e3))} kB`;
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // --- the film -------------------------------------------------------------------------

  function chapterAt(time) {
    const chapters = film.chapters;
    let index = 0;
    while (index + 1 < chapters.length && chapters[index + 1].start <= time + EPSILON) index++;
    return index;
  }

  function loadFilm(next, chapterIndex) {
    film = next;
    captionLanguage = film.language;
    document.documentElement.lang = film.language;
    for (const track of video.querySelectorAll("track")) {
      URL.revokeObjectURL(track.src);
      track.remove();
    }
    // Blob URLs: Chromium loads no <track src> file over file://.
    for (const caption of film.tracks) {
      const track = document.createElement("track");
      track.kind = "captions";
      track.srclang = caption.language;
      track.label = caption.label;
      track.src = URL.createObjectURL(new Blob([caption.vtt], { type: "text/vtt" }));
      video.append(track);
    }
    if (!video.src.endsWith(film.video)) {
      video.poster = film.poster;
      video.src = film.video;
    }
    captionsOn = !film.captions_in_picture; // the words are in the picture already
    showCaptions();
    fillWords();
    fillChapters();
    fillDownloads();
    fillEmbed();
    if (chapterIndex > 0) seekTo(film.chapters[Math.min(chapterIndex, film.chapters.length - 1)].start);
    highlight(chapterAt(video.currentTime || 0));
  }

  function showCaptions() {
    for (const track of video.textTracks) {
      track.mode = captionsOn && track.language === captionLanguage ? "showing" : "disabled";
    }
  }

  function toggleCaptions() {
    const showing = Array.from(video.textTracks).find((track) => track.mode === "showing");
    if (showing) captionLanguage = showing.language; // as chosen in the video's own menu
    captionsOn = !showing;
    showCaptions();
  }
  // The browser's own choice of tracks, made once the film's metadata is in, would turn
  // on more than one: the page's choice is made again then.
  video.addEventListener("loadedmetadata", showCaptions);

  function seekTo(time) {
    video.currentTime = Math.min(Math.max(0, time), film.duration);
    presenter.waitingAfter = -1;
    $("presenter-card").hidden = true;
  }

  function goToChapter(index, play) {
    const target = Math.max(0, Math.min(index, film.chapters.length - 1));
    seekTo(film.chapters[target].start);
    presenter.stopAt = target;
    highlight(target);
    if (play) video.play();
  }

  // Previous: back to this chapter's start, or, near it, the chapter before; stopped at a
  // chapter's end in presenter mode, that chapter again.
  function previous() {
    if (presenter.waitingAfter >= 0) return goToChapter(presenter.waitingAfter, true);
    const index = chapterAt(video.currentTime);
    const into = video.currentTime - film.chapters[index].start;
    goToChapter(into > RESTART_GRACE ? index : index - 1, presenter.on || !video.paused);
  }

  // Next: the next chapter's start; in presenter mode, paused mid-chapter (or before the
  // first), the clicker's "next" plays on to this chapter's end first.
  function next() {
    if (presenter.on && presenter.waitingAfter < 0 && video.paused) return video.play();
    const index = presenter.waitingAfter >= 0 ? presenter.waitingAfter : chapterAt(video.currentTime);
    if (index + 1 >= film.chapters.length) return;
    goToChapter(index + 1, presenter.on || !video.paused);
  }

  // --- the chapter list -----------------------------------------------------------------

  function fillChapters() {
    $("chapters-heading").textContent = film.words.chapters;
    list.replaceChildren(
      ...film.chapters.map((chapter, index) => {
        const item = element("li");
        const button = element("button", "chapter");
        button.type = "button";
        button.dataset.index = String(index);
        button.dataset.start = String(chapter.start);
        const thumbnail = element("img");
        thumbnail.src = chapter.thumbnail;
        thumbnail.alt = "";
        thumbnail.loading = "lazy";
        // A tall film's thumbnail is shown by its upper part (the CSS crops it square):
        // whole, it would be too narrow to read and the list too long.
        const tall = film.height > film.width;
        thumbnail.width = tall ? 88 : 128;
        thumbnail.height = tall ? 88 : Math.round((128 * film.height) / film.width);
        const words = element("span", "chapter-words");
        words.append(
          element("span", "chapter-heading", `${index + 1}. ${chapter.heading}`),
          element("span", "chapter-time muted", clock(chapter.start)),
        );
        button.append(thumbnail, words);
        button.addEventListener("click", () => goToChapter(index, !video.paused || presenter.on));
        item.append(button);
        return item;
      }),
    );
    current = -1;
  }

  function highlight(index) {
    if (index === current) return;
    current = index;
    for (const [position, item] of Array.from(list.children).entries()) {
      item.classList.toggle("current", position === index);
      const button = item.firstElementChild;
      if (position === index) button.setAttribute("aria-current", "step");
      else button.removeAttribute("aria-current");
    }
    const item = list.children[index];
    if (item && list.scrollHeight > list.clientHeight) {
      // Scroll the list only (never the page under the reader).
      const top = item.offsetTop - list.offsetTop;
      if (top < list.scrollTop || top + item.offsetHeight > list.scrollTop + list.clientHeight) {
        list.scrollTop = top - list.clientHeight / 3;
      }
    }
    updatePresenterBar();
    updateLabLink(index);
  }

  // --- the lab (lab.html) ---------------------------------------------------------------

  // The lab at the state chapter `index` shows (lab.html#state=...), or at the fit.
  function labUrl(index) {
    const chapter = film.chapters[index];
    const query = page.films.length > 1 ? `?lang=${encodeURIComponent(film.language)}` : "";
    const state = chapter && chapter.lab ? `#state=${chapter.lab}&chapter=${chapter.name}` : "";
    return `lab.html${query}${state}`;
  }

  function updateLabLink(index) {
    const link = $("lab-link");
    link.href = labUrl(index);
    link.textContent = film.words.lab_try;
  }

  function tryIt() {
    if (document.body.classList.contains("embed")) return; // the player alone stays so
    const index = presenter.waitingAfter >= 0 ? presenter.waitingAfter : chapterAt(video.currentTime);
    video.pause();
    location.assign(labUrl(index));
  }

  // --- presenter mode ---------------------------------------------------------------------

  function togglePresenter() {
    presenter.on = !presenter.on;
    document.body.classList.toggle("presenting", presenter.on);
    $("presenter-bar").hidden = !presenter.on;
    $("presenter-state").hidden = !presenter.on;
    clearInterval(presenter.ticker);
    if (presenter.on) {
      presenter.startedAt = performance.now();
      presenter.stopAt = chapterAt(video.currentTime);
      presenter.ticker = setInterval(updatePresenterBar, 250);
    } else {
      presenter.waitingAfter = -1;
      $("presenter-card").hidden = true;
    }
    updatePresenterBar();
  }

  function updatePresenterBar() {
    if (!presenter.on) return;
    const index = presenter.waitingAfter >= 0 ? presenter.waitingAfter : chapterAt(video.currentTime);
    $("presenter-chapter").textContent = fill(film.words.chapter_of, {
      n: index + 1,
      total: film.chapters.length,
    });
    $("presenter-timer").textContent = clock((performance.now() - presenter.startedAt) / 1000);
  }

  function stopAtChapterEnd(index) {
    video.pause();
    const chapter = film.chapters[index];
    video.currentTime = chapter.end - HOLD_BEFORE_END;
    presenter.waitingAfter = index;
    const following = film.chapters[index + 1];
    $("presenter-next-label").textContent = following ? film.words.next : "";
    $("presenter-next").textContent = following
      ? `${index + 2}. ${following.heading}`
      : film.words.the_end;
    $("presenter-hint").textContent = following ? film.words.continue_hint : "";
    // A chapter whose picture is a state of the model: the lab can open on it.
    const tryLink = $("presenter-try");
    tryLink.hidden = !chapter.lab;
    tryLink.href = labUrl(index);
    tryLink.textContent = film.words.lab_try_key;
    $("presenter-card").hidden = false;
    highlight(index);
    updatePresenterBar();
  }

  // Checked on every animation frame while playing: timeupdate comes only every 250 ms.
  function watch() {
    if (!video.paused && !video.seeking) {
      const time = video.currentTime;
      // Not while stopped: play() may come before its "play" event moves stopAt on.
      if (presenter.on && presenter.stopAt >= 0 && presenter.waitingAfter < 0) {
        const chapter = film.chapters[presenter.stopAt];
        if (time >= chapter.end - EPSILON) stopAtChapterEnd(presenter.stopAt);
      }
      if (presenter.waitingAfter < 0) highlight(chapterAt(time));
    }
    requestAnimationFrame(watch);
  }

  video.addEventListener("play", () => {
    const after = presenter.waitingAfter;
    if (after >= 0) {
      // Stopped at a chapter's end: play on from the next chapter's start.
      presenter.waitingAfter = -1;
      $("presenter-card").hidden = true;
      if (after + 1 < film.chapters.length) video.currentTime = film.chapters[after + 1].start;
    }
    presenter.stopAt = chapterAt(video.currentTime);
  });
  video.addEventListener("seeked", () => {
    if (presenter.waitingAfter < 0) {
      presenter.stopAt = chapterAt(video.currentTime);
      highlight(presenter.stopAt);
    }
  });
  // The last chapter's end is the film's: it ends paused, before watch() sees it.
  video.addEventListener("ended", () => {
    if (presenter.on) stopAtChapterEnd(film.chapters.length - 1);
  });
  video.addEventListener("timeupdate", () => {
    if (presenter.waitingAfter < 0) highlight(chapterAt(video.currentTime));
  });

  // --- keys ---------------------------------------------------------------------------------

  function toggleFullscreen() {
    if (document.fullscreenElement) document.exitFullscreen();
    else $("player").requestFullscreen().catch(() => {});
  }

  const KEYS = {
    " ": () => (video.paused ? video.play() : video.pause()),
    ArrowRight: next,
    PageDown: next,
    ArrowLeft: previous,
    PageUp: previous,
    c: toggleCaptions,
    f: toggleFullscreen,
    p: togglePresenter,
    t: tryIt,
  };

  document.addEventListener(
    "keydown",
    (event) => {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.target.closest && event.target.closest("textarea, input, select")) return;
      const action = KEYS[event.key.length === 1 ? event.key.toLowerCase() : event.key];
      if (!action) return;
      // Before the video's own controls (which would also seek or toggle) and the page's
      // scrolling see it.
      event.preventDefault();
      event.stopPropagation();
      action();
    },
    true,
  );

  // --- the words, the languages, the embed snippet, the downloads ----------------------------

  function fillWords() {
    const words = film.words;
    document.title = film.title;
    $("title").textContent = film.title;
    $("source").textContent = fill(words.data, { source: film.source });
    $("presenter-state").textContent = words.presenter_on;
    $("embed-heading").textContent = words.embed;
    $("embed-hint").textContent = words.embed_hint;
    $("copy-embed").textContent = words.copy;
    $("downloads-heading").textContent = words.downloads;
    $("keys").replaceChildren(
      ...[words.key_play, words.key_chapters, words.key_captions, words.key_fullscreen,
        words.key_presenter, words.lab_try_key].map((line) => element("li", "", line)),
    );
    const languages = $("languages");
    languages.hidden = page.films.length < 2;
    languages.setAttribute("aria-label", words.film);
    languages.replaceChildren(
      ...page.films.map((other) => {
        const button = element("button", "language", other.words.language_name);
        button.type = "button";
        button.lang = other.language;
        button.dataset.lang = other.language;
        button.setAttribute("aria-pressed", String(other === film));
        button.addEventListener("click", () => {
          if (other === film) return;
          const playing = !video.paused;
          loadFilm(other, chapterAt(video.currentTime)); // a new src pauses the video
          if (playing) video.play();
        });
        return button;
      }),
    );
  }

  function fillEmbed() {
    const url = new URL("embed.html", location.href);
    url.search = page.films.length > 1 ? `?lang=${encodeURIComponent(film.language)}` : "";
    url.hash = "";
    const tall = film.height > film.width;
    const frame = document.createElement("iframe");
    frame.src = url.href;
    frame.title = film.title;
    frame.setAttribute("allow", "fullscreen; picture-in-picture");
    frame.setAttribute(
      "style",
      `width: 100%; max-width: ${tall ? 360 : 960}px; aspect-ratio: ${film.width} / ${film.height}; border: 0`,
    );
    $("embed-code").value = frame.outerHTML; // an element's own serialisation: escaped
  }

  $("copy-embed").addEventListener("click", async () => {
    const code = $("embed-code");
    code.select();
    try {
      await navigator.clipboard.writeText(code.value);
    } catch {
      document.execCommand("copy"); // file:// pages may have no clipboard API
    }
    $("copy-embed").textContent = film.words.copied;
    setTimeout(() => ($("copy-embed").textContent = film.words.copy), 1500);
  });

  function fillDownloads() {
    $("downloads").replaceChildren(
      ...film.downloads.map((file) => {
        const item = element("li");
        const link = element("a", "", file.label);
        link.href = file.href;
        link.download = file.file;
        item.append(link, element("span", "muted", ` ${size(file.bytes)}`));
        return item;
      }),
    );
  }

  // Side by side, the chapter list is as tall as the player (under it, as the CSS says).
  const layout = document.querySelector(".layout");
  new ResizeObserver(() => {
    const sideBySide = getComputedStyle(layout).gridTemplateColumns.split(" ").length > 1;
    const room = $("player").offsetHeight - $("chapters-heading").offsetHeight - 12;
    list.style.maxHeight = sideBySide ? `${Math.max(240, room)}px` : "";
  }).observe($("player"));

  loadFilm(film, 0);
  const start = Number(new URLSearchParams(location.hash.slice(1)).get("t"));
  if (start > 0) seekTo(start);
  requestAnimationFrame(watch);
})();
