// The page of bce-video: the film with its captions, a chapter list and a transcript that
// follow it, keys, presenter mode and its second window (presenter.html, through
// assets/link.js), the embed snippet and the downloads. Everything comes from
// window.BCE_PAGE (assets/page-data.js) and is inserted as text, never as markup. The
// transcript's cues are the film's caption cues as the page data gives them (each chapter's
// "cues"): no time is derived here.
"use strict";

(() => {
  const page = window.BCE_PAGE;
  const $ = (id) => document.getElementById(id);
  const video = $("film");
  // The one way the page plays the film. play() rejects when a pause, a seek into a film
  // still loading or a new source interrupts it (AbortError): the viewer's later action
  // won, which is no fault. Any other refusal (a browser that blocks playing) is logged.
  const play = () =>
    video.play().catch((error) => {
      if (error.name !== "AbortError") console.warn(`the film did not play: ${error.message}`);
    });
  const list = $("chapters");
  // Within this much of a chapter's start, "previous" goes to the chapter before.
  const RESTART_GRACE = 1.0;
  // Times are frame-exact; this absorbs the rounding of a seek (well under half a frame).
  const EPSILON = 0.001;
  // Presenter mode holds this far before a chapter's end: on its last frame (a frame is
  // 17 ms at 60 fps), before the next chapter's first caption comes up.
  const HOLD_BEFORE_END = 0.01;
  // A server without byte ranges: the film is fetched whole into memory to seek, up to
  // this size (a high-quality film of the whole lesson is tens of MB; a browser tab holds
  // a few hundred MB without trouble).
  const WHOLE_FILM_LIMIT = 500e6;
  // The transcript stops following the film this long after the reader scrolled it.
  const READER_SCROLLED_PAUSE = 4000;
  // The presenter view says it is there every second; this long without a word, it is gone.
  const VIEW_TIMEOUT = 3000;
  // How often the presenter view hears the film's clock.
  const VIEW_TICK = 250;
  const embedded = document.body.classList.contains("embed");

  const params = new URLSearchParams(location.search);
  // A batch's page (bce-video page --batch): the films the viewer picks from, ?film=<id>,
  // each with its languages and its own folder (its lab). A page of one film has no
  // choices: its films are its languages.
  const choices = page.choices || null;
  let choice = choices && (choices.find((c) => c.id === params.get("film")) || choices[0]);
  const languagesOf = (which) => (which ? page.films.filter((f) => f.choice === which.id) : page.films);
  let films = languagesOf(choice); // the chosen film's languages: the language buttons
  let film = films.find((f) => f.language === params.get("lang")) || films[0];
  const folder = () => (choice ? choice.folder : "");
  let captionLanguage = film.language;
  let captionsOn = true;
  let current = -1; // the chapter shown in the list as playing
  let cues = []; // the film's caption cues, in order: id, start, end, text, chapter (index)
  let cueLines = []; // the transcript's line of each cue
  let currentCue = -1; // the cue marked in the transcript as spoken
  let readerScrolledAt = -Infinity;
  let blanked = false;
  // The film's source: the page data's path, or the film fetched whole (a blob: URL).
  let loadedVideo = video.getAttribute("src");
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

  function cueAt(time) {
    // The cue being spoken, or the last one begun in the chapter playing (between cues).
    let index = -1;
    while (index + 1 < cues.length && cues[index + 1].start <= time + EPSILON) index++;
    return index >= 0 && cues[index].chapter === chapterAt(time) ? index : -1;
  }

  // `place`: the cue (by id) or else the chapter (by index) to show in the new film.
  function loadFilm(next, place) {
    film = next;
    cues = film.chapters.flatMap((chapter, index) =>
      chapter.cues.map((cue) => ({ ...cue, chapter: index })),
    );
    captionLanguage = film.language;
    document.documentElement.lang = film.words.language_tag;
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
    if (loadedVideo !== film.video) {
      video.poster = film.poster;
      video.src = wholeFilms.get(film.video) || film.video;
      loadedVideo = film.video;
    }
    captionsOn = !film.captions_in_picture; // the words are in the picture already
    showCaptions();
    fillWords();
    fillChapters();
    fillTranscript();
    fillDownloads();
    fillEmbed();
    const cue = place && cues.find((c) => c.id === place.cue);
    const chapter = place && film.chapters[Math.min(place.chapter, film.chapters.length - 1)];
    if (cue) seekTo(cue.start);
    else if (chapter && chapter.start > 0) seekTo(chapter.start);
    highlight(chapterAt(video.currentTime || 0));
    highlightCue(cueAt(video.currentTime || 0));
    sendState();
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
    const target = Math.min(Math.max(0, time), film.duration);
    // Where it goes once fetched whole, if this film cannot seek (or is not known to yet:
    // a new film's seek comes before its metadata).
    if (!video.src.startsWith("blob:") && !canSeekAll()) whole.pendingSeek = target;
    video.currentTime = target;
    presenter.waitingAfter = -1;
    $("presenter-card").hidden = true;
  }

  function goToChapter(index, andPlay) {
    const target = Math.max(0, Math.min(index, film.chapters.length - 1));
    seekTo(film.chapters[target].start);
    presenter.stopAt = target;
    highlight(target);
    if (andPlay) play();
  }

  // Previous: back to this chapter's start, or, near it, the chapter before. In presenter
  // mode, as a slide show goes back: stopped at a chapter's end, that chapter again;
  // anywhere in a chapter, the previous chapter's end (its last picture, and the card).
  function previous() {
    toggleBlank(false);
    if (presenter.waitingAfter >= 0) return goToChapter(presenter.waitingAfter, true);
    const index = chapterAt(video.currentTime);
    if (presenter.on && index > 0) return stopAtChapterEnd(index - 1);
    const into = video.currentTime - film.chapters[index].start;
    goToChapter(into > RESTART_GRACE ? index : index - 1, presenter.on || !video.paused);
  }

  // Next: the next chapter's start; in presenter mode, paused mid-chapter (or before the
  // first), the clicker's "next" plays on to this chapter's end first.
  function next() {
    toggleBlank(false);
    if (presenter.on && presenter.waitingAfter < 0 && video.paused) return play();
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
  // A batch's film has its lab in its folder, on its data.
  function labUrl(index) {
    const chapter = film.chapters[index];
    const query = films.length > 1 ? `?lang=${encodeURIComponent(film.language)}` : "";
    const state = chapter && chapter.lab ? `#state=${chapter.lab}&chapter=${chapter.name}` : "";
    return `${folder()}lab.html${query}${state}`;
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
    highlightCue(cueAt(chapter.end - HOLD_BEFORE_END));
    updatePresenterBar();
    sendState();
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
      if (presenter.waitingAfter < 0) {
        highlight(chapterAt(time));
        highlightCue(cueAt(time));
      }
    }
    requestAnimationFrame(watch);
  }

  video.addEventListener("play", () => {
    toggleBlank(false);
    const after = presenter.waitingAfter;
    if (after >= 0) {
      // Stopped at a chapter's end: play on from the next chapter's start.
      presenter.waitingAfter = -1;
      $("presenter-card").hidden = true;
      if (after + 1 < film.chapters.length) video.currentTime = film.chapters[after + 1].start;
    }
    presenter.stopAt = chapterAt(video.currentTime);
    sendState();
  });
  video.addEventListener("pause", sendState);
  video.addEventListener("seeked", () => {
    if (presenter.waitingAfter < 0) {
      presenter.stopAt = chapterAt(video.currentTime);
      highlight(presenter.stopAt);
      highlightCue(cueAt(video.currentTime));
    }
    sendState();
  });
  // The last chapter's end is the film's: it ends paused, before watch() sees it.
  video.addEventListener("ended", () => {
    if (presenter.on) stopAtChapterEnd(film.chapters.length - 1);
  });
  video.addEventListener("timeupdate", () => {
    if (presenter.waitingAfter < 0) {
      highlight(chapterAt(video.currentTime));
      highlightCue(cueAt(video.currentTime));
    }
  });

  // --- the transcript -----------------------------------------------------------------------

  const transcript = $("transcript");
  const searchBox = $("transcript-search");
  const search = { matches: [], active: -1 }; // matches: indexes of cues; active: of matches

  function fillTranscript() {
    const words = film.words;
    $("transcript-heading").textContent = words.transcript;
    $("transcript-hint").textContent = words.transcript_hint;
    $("transcript-search-label").textContent = words.transcript_search;
    $("transcript-search-keys").textContent = words.transcript_search_keys;
    searchBox.placeholder = words.transcript_search;
    for (const [id, label] of [["search-previous", words.transcript_previous],
      ["search-next", words.transcript_next]]) {
      $(id).setAttribute("aria-label", label);
      $(id).title = label;
    }
    transcript.replaceChildren(
      ...film.chapters.map((chapter, index) => {
        const part = element("div", "transcript-chapter");
        const lines = element("ol", "cues");
        lines.append(
          ...chapter.cues.map((cue) => {
            const line = element("li", "cue");
            line.dataset.id = cue.id;
            line.dataset.start = String(cue.start);
            const time = element("a", "cue-time", clock(cue.start));
            time.href = `#t=${cue.start}`; // a link to the moment, to copy or share
            line.append(time, element("span", "cue-text", cue.text));
            return line;
          }),
        );
        part.append(element("h3", "", `${index + 1}. ${chapter.heading}`), lines);
        return part;
      }),
    );
    cueLines = Array.from(transcript.querySelectorAll("li.cue"));
    currentCue = -1;
    applySearch();
  }

  transcript.addEventListener("click", (event) => {
    const line = event.target.closest("li.cue");
    if (!line) return;
    const onTime = event.target.closest("a");
    if (onTime) event.preventDefault();
    else if (String(getSelection())) return; // the reader is selecting words, not clicking
    goToCue(cueLines.indexOf(line));
  });
  for (const kind of ["wheel", "touchmove"]) {
    transcript.addEventListener(kind, () => (readerScrolledAt = performance.now()), { passive: true });
  }

  function goToCue(index) {
    if (index < 0) return;
    seekTo(cues[index].start);
    highlight(cues[index].chapter);
    highlightCue(index);
  }

  function highlightCue(index) {
    if (index === currentCue) return;
    const before = cueLines[currentCue];
    if (before) {
      before.classList.remove("current");
      before.removeAttribute("aria-current");
    }
    currentCue = index;
    const line = cueLines[index];
    if (line) {
      line.classList.add("current");
      line.setAttribute("aria-current", "true");
      keepInView(line);
    }
    sendState();
  }

  // The spoken line a third of the way down the transcript's own box: the box scrolls,
  // never the page (scrollIntoView would move the page under the reader). Smoothly or at
  // once, as the CSS's scroll-behavior says (at once under prefers-reduced-motion).
  function keepInView(line) {
    if (line.hidden || transcript.scrollHeight <= transcript.clientHeight) return;
    if (performance.now() - readerScrolledAt < READER_SCROLLED_PAUSE) return;
    const top = line.getBoundingClientRect().top - transcript.getBoundingClientRect().top;
    const target = Math.round(transcript.scrollTop + top - transcript.clientHeight / 3);
    if (Math.abs(target - transcript.scrollTop) > 2) transcript.scrollTop = target;
  }

  // Case folded where that keeps each character in its place (marks need the positions).
  const fold = (text) => text.toLocaleLowerCase();

  function applySearch() {
    const query = fold(searchBox.value.trim());
    search.matches = [];
    search.active = -1;
    cues.forEach((cue, index) => {
      const line = cueLines[index];
      const shown = line.querySelector(".cue-text");
      const folded = fold(cue.text);
      const found = query !== "" && folded.includes(query);
      if (found) search.matches.push(index);
      line.hidden = query !== "" && !found;
      line.classList.remove("match-active");
      const pieces = [];
      if (found && folded.length === cue.text.length) {
        let from = 0;
        for (let at = folded.indexOf(query); at >= 0; at = folded.indexOf(query, at + query.length)) {
          pieces.push(cue.text.slice(from, at), element("mark", "", cue.text.slice(at, at + query.length)));
          from = at + query.length;
        }
        pieces.push(cue.text.slice(from));
      } else pieces.push(cue.text);
      shown.replaceChildren(...pieces);
    });
    for (const part of transcript.children) {
      part.hidden = Array.from(part.querySelectorAll("li.cue")).every((line) => line.hidden);
    }
    sayMatches(query);
  }

  function sayMatches(query = fold(searchBox.value.trim())) {
    const words = film.words;
    const count = search.matches.length;
    let said = "";
    if (query && !count) said = words.transcript_no_match;
    else if (query && search.active >= 0) said = fill(words.transcript_match_of, { k: search.active + 1, n: count });
    else if (query) said = fill(words.transcript_matches, { n: count });
    $("search-count").textContent = said;
    for (const id of ["search-previous", "search-next"]) $(id).disabled = count === 0;
  }

  // Enter: the next match (from the cue playing, the first time); Shift+Enter: the one
  // before. The film goes to it, so the transcript's mark and the film agree.
  function stepMatch(step) {
    const count = search.matches.length;
    if (!count) return;
    if (search.active < 0) {
      const here = currentCue;
      const after = search.matches.findIndex((index) => (step > 0 ? index > here : index >= here));
      search.active = step > 0 ? (after < 0 ? 0 : after) : (after <= 0 ? count - 1 : after - 1);
    } else search.active = (search.active + step + count) % count;
    for (const line of cueLines) line.classList.remove("match-active");
    const index = search.matches[search.active];
    cueLines[index].classList.add("match-active");
    readerScrolledAt = -Infinity;
    goToCue(index);
    keepInView(cueLines[index]);
    sayMatches();
  }

  searchBox.addEventListener("input", () => applySearch());
  searchBox.addEventListener("keydown", (event) => {
    if (event.key !== "Enter") return;
    event.preventDefault();
    stepMatch(event.shiftKey ? -1 : 1);
  });
  $("search-next").addEventListener("click", () => stepMatch(1));
  $("search-previous").addEventListener("click", () => stepMatch(-1));

  // --- seeking on a server without byte ranges ------------------------------------------------
  // A server that sends no byte ranges (python -m http.server) gives a film the browser can
  // play from the start but not seek: its seekable range is [0, 0]. Once the metadata says
  // so, the film is fetched whole into a blob: URL, which seeks, and the page says why.

  const wholeFilms = new Map(); // the page data's path of a film -> its blob: URL
  let fetching = null; // the path of the film being fetched whole
  const whole = { pendingSeek: null }; // a seek asked for while it was being fetched

  function canSeekAll() {
    const ranges = video.seekable;
    if (!ranges.length || !Number.isFinite(video.duration)) return false;
    return ranges.start(0) <= EPSILON && ranges.end(ranges.length - 1) >= video.duration - 1 / film.frame_rate;
  }

  function sayLoading(words, progress) {
    $("seek-state").hidden = false;
    $("seek-words").textContent = words;
    $("seek-progress").hidden = progress === null;
    if (progress !== null) $("seek-progress").value = progress;
  }

  async function loadWhole(which) {
    if (fetching === which.video || wholeFilms.has(which.video)) return;
    const file = which.downloads.find((download) => download.href === which.video);
    const total = file ? file.bytes : 0;
    if (total > WHOLE_FILM_LIMIT) {
      sayLoading(fill(which.words.seek_too_big, { total: size(total) }), null);
      return;
    }
    fetching = which.video;
    const loading = (done) =>
      sayLoading(fill(which.words.seek_loading, { done: size(done), total: size(total) }), total ? done / total : 0);
    loading(0);
    try {
      const response = await fetch(which.video);
      if (!response.ok) throw new Error(`${which.video}: HTTP ${response.status}`);
      const reader = response.body.getReader();
      const parts = [];
      let done = 0;
      for (;;) {
        const { done: finished, value } = await reader.read();
        if (finished) break;
        parts.push(value);
        done += value.length;
        loading(done);
      }
      const url = URL.createObjectURL(new Blob(parts, { type: "video/mp4" }));
      wholeFilms.set(which.video, url);
      if (film === which) useWhole(url);
      sayLoading(which.words.seek_loaded, null);
    } catch {
      sayLoading(which.words.seek_failed, null);
    } finally {
      fetching = null;
    }
  }

  // The same film from memory, at the same place (or where the reader asked to go
  // meanwhile), playing if it was.
  function useWhole(url) {
    const time = whole.pendingSeek !== null ? whole.pendingSeek : video.currentTime;
    const playing = !video.paused;
    whole.pendingSeek = null;
    video.addEventListener(
      "loadedmetadata",
      () => {
        video.currentTime = time;
        if (playing) play();
      },
      { once: true },
    );
    video.src = url;
  }

  function fetchWholeIfUnseekable() {
    if (location.protocol.startsWith("http") && !video.src.startsWith("blob:") && !canSeekAll()) {
      loadWhole(film);
    }
  }
  video.addEventListener("loadedmetadata", fetchWholeIfUnseekable);
  // The video starts loading while the page is parsed, and this script is deferred: its
  // metadata may have come before the listener above was there.
  if (video.readyState >= HTMLMediaElement.HAVE_METADATA) fetchWholeIfUnseekable();

  // --- the presenter view (presenter.html) and the blank screen ---------------------------------

  const view = { link: embedded ? null : window.bceLink(fromView), heardAt: -Infinity };

  const viewConnected = () => performance.now() - view.heardAt < VIEW_TIMEOUT;

  function fromView(body) {
    if (body.to && body.to !== view.link.id) return; // to another film's window
    if (body.kind === "bye") view.heardAt = -Infinity;
    else view.heardAt = performance.now();
    if (body.kind === "command") {
      const actions = {
        next,
        previous,
        toggle: () => (video.paused ? play() : video.pause()),
        blank: () => toggleBlank(),
        cue: () => goToCue(cues.findIndex((cue) => cue.id === body.id)),
      };
      if (actions[body.action]) actions[body.action]();
    }
    showViewState();
    sendState();
  }

  function showViewState() {
    const line = $("presenter-view-state");
    if (viewConnected()) line.textContent = film.words.presenter_view_connected;
    else if (line.textContent === film.words.presenter_view_connected) line.textContent = "";
    line.hidden = !line.textContent;
  }

  // What the presenter view shows, said whole each time (the view keeps nothing else).
  function sendState() {
    if (!view.link || !viewConnected()) return;
    const time = video.currentTime;
    view.link.send({
      kind: "state",
      choice: choice ? choice.id : null, // a batch's film: the view follows the picker too
      language: film.language,
      time,
      paused: video.paused,
      chapter: presenter.waitingAfter >= 0 ? presenter.waitingAfter : chapterAt(time),
      waiting: presenter.waitingAfter >= 0,
      cue: currentCue >= 0 ? cues[currentCue].id : null,
      presenting: presenter.on,
      elapsed: presenter.on ? (performance.now() - presenter.startedAt) / 1000 : 0,
      blanked,
    });
  }
  setInterval(() => {
    sendState();
    showViewState();
  }, VIEW_TICK);

  function openPresenterView() {
    if (!view.link) return; // the player alone (embed.html) has no presenter view
    if (!presenter.on) togglePresenter();
    // The site's own presenter view, beside this page: it reads every film's data (a
    // batch's too) and shares this folder's channel (link.js); it follows the film this
    // window shows, which the query says first.
    const query = new URLSearchParams(shownBy());
    query.set("lang", film.language);
    const other = window.open(`presenter.html?${query}#film=${view.link.id}`, "bce-video-presenter",
      "popup,width=1200,height=760");
    const line = $("presenter-view-state");
    if (!other) {
      line.textContent = film.words.presenter_view_blocked;
      line.hidden = false;
      return;
    }
    view.link.addPeer(other);
  }
  $("open-presenter-view").addEventListener("click", openPresenterView);

  // B: the projector goes black and the film pauses; B (or playing on) shows it again.
  function toggleBlank(on = !blanked) {
    if (on === blanked) return;
    blanked = on;
    $("blank").hidden = !on;
    document.body.classList.toggle("blanked", on);
    if (on) video.pause();
    sendState();
  }

  // --- keys ---------------------------------------------------------------------------------

  function toggleFullscreen() {
    if (document.fullscreenElement) document.exitFullscreen();
    else $("player").requestFullscreen().catch(() => {});
  }

  const KEYS = {
    " ": () => (video.paused ? play() : video.pause()),
    ArrowRight: next,
    PageDown: next,
    ArrowLeft: previous,
    PageUp: previous,
    c: toggleCaptions,
    f: toggleFullscreen,
    p: togglePresenter,
    s: openPresenterView,
    b: () => toggleBlank(),
    ".": () => toggleBlank(), // what some clickers send for "blank"
    t: tryIt,
  };

  document.addEventListener(
    "keydown",
    (event) => {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.target.closest && event.target.closest("textarea, input, select")) return;
      if (blanked && event.key === "Escape") return toggleBlank(false);
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
    $("copy-embed").textContent = words.copy;
    $("downloads-heading").textContent = words.downloads;
    $("keys").replaceChildren(
      ...[words.key_play, words.key_chapters, words.key_captions, words.key_fullscreen,
        words.key_presenter, words.key_presenter_view, words.key_blank, words.lab_try_key]
        .map((line) => element("li", "", line)),
    );
    $("open-presenter-view").textContent = words.presenter_view;
    fillPicker();
    const languages = $("languages");
    languages.hidden = films.length < 2;
    languages.setAttribute("aria-label", words.film);
    languages.replaceChildren(
      ...films.map((other) => {
        const button = element("button", "language", other.words.language_name);
        button.type = "button";
        button.lang = other.language;
        button.dataset.lang = other.language;
        button.setAttribute("aria-pressed", String(other === film));
        button.addEventListener("click", () => {
          if (other === film) return;
          const playing = !video.paused;
          // The place, by cue id: the same cue in the other film (its times are its own).
          const spoken = cueAt(video.currentTime);
          const place = { cue: spoken >= 0 ? cues[spoken].id : null, chapter: chapterAt(video.currentTime) };
          loadFilm(other, place); // a new src pauses the video
          showInAddress();
          if (playing) play();
        });
        return button;
      }),
    );
  }

  // --- a batch's page: the film picker -------------------------------------------------------

  // The query that says what is shown: the film (on a batch's page) and its language (if
  // it has more than one), as a teacher's link to a student's own film gives them.
  function shownBy() {
    const query = new URLSearchParams();
    if (choice) query.set("film", choice.id);
    if (films.length > 1) query.set("lang", film.language);
    return query;
  }

  function showInAddress() {
    if (!choice) return; // a page of one film keeps its address as it was opened
    history.replaceState(null, "", `${location.pathname}?${shownBy()}`);
  }

  // Each film by its data's name (in the viewer's language: the article's points are
  // named in words) and what else tells it from the others: its aspect, theme, chapters.
  function fillPicker() {
    $("picker").hidden = !choices;
    if (!choices) return;
    $("picker-label").textContent = film.words.film;
    const select = $("film-choice");
    select.replaceChildren(
      ...choices.map((which) => {
        const languages = languagesOf(which);
        const shown = languages.find((f) => f.language === film.language) || languages[0];
        const option = element("option", "", [shown.source, ...which.differs_by].join(" · "));
        option.value = which.id;
        option.selected = which === choice;
        return option;
      }),
    );
  }

  $("film-choice").addEventListener("change", (event) => {
    const next = choices.find((which) => which.id === event.target.value);
    if (!next || next === choice) return;
    choice = next;
    films = languagesOf(choice);
    // The film's look is its own: a batch may hold both themes and both aspects.
    const root = document.documentElement;
    root.dataset.theme = choice.theme;
    root.dataset.aspect = choice.aspect.replace(":", "x");
    for (const [name, value] of Object.entries(choice.colours)) root.style.setProperty(`--${name}`, value);
    document.querySelector('meta[name="color-scheme"]').content = choice.theme;
    // In the language being watched, if this film has it; from its start.
    loadFilm(films.find((f) => f.language === film.language) || films[0], null);
    showInAddress();
  });

  // Where the site will be published, for the snippet: the page build's --base-url, or
  // where this page is served from; opened from a file, no course page could use that
  // address, so the snippet holds a placeholder and the hint says to replace it.
  const PLACEHOLDER_BASE = "https://example.org/your-course/this-folder/";

  function fillEmbed() {
    const served = location.protocol === "http:" || location.protocol === "https:";
    const base = page.base_url || (served ? location.href : PLACEHOLDER_BASE);
    const words = film.words;
    $("embed-hint").textContent =
      page.base_url || served ? words.embed_hint : fill(words.embed_hint_placeholder, { url: PLACEHOLDER_BASE });
    const url = new URL("embed.html", base);
    url.search = shownBy().toString();
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

  // Side by side, the chapter list is as tall as the player (under it, as the CSS says);
  // beside a tall film, the chapters and the transcript share its height.
  const layout = document.querySelector(".layout");
  new ResizeObserver(() => {
    const sideBySide = getComputedStyle(layout).gridTemplateColumns.split(" ").length > 1;
    const player = $("player").offsetHeight;
    const tall = film.height > film.width;
    const room = (tall ? 0.4 * player : player) - $("chapters-heading").offsetHeight - 12;
    list.style.maxHeight = sideBySide ? `${Math.max(tall ? 160 : 240, room)}px` : "";
    const box = $("transcript");
    const above = box.getBoundingClientRect().top - $("player").getBoundingClientRect().top;
    box.style.maxHeight = sideBySide && tall ? `${Math.max(240, player - above)}px` : "";
  }).observe($("player"));

  loadFilm(film, null);
  const start = Number(new URLSearchParams(location.hash.slice(1)).get("t"));
  if (start > 0) seekTo(start);
  requestAnimationFrame(watch);
})();
