// kgraph map: the story list, one view drawn at a time, a side panel, search and filters.
// Globals named as in pyvis's own template, so tools and tests find them.
var nodes, edges, data, options, network;
(function () {
  "use strict";
  var index = JSON.parse(document.getElementById("kg-index").textContent);
  var packed = JSON.parse(document.getElementById("kg-views").textContent);
  var disputeKinds = ["contradicts", "agrees with"];
  var decoded = {};
  var currentKey = null;
  var progress = document.getElementById("kg-progress");
  var panel = document.getElementById("kg-panel");
  var panelBody = document.getElementById("kg-panel-body");

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  // Tooltips are plain text: an element whose textContent is the text, so
  // nothing from an article is ever parsed as HTML. The text is kept for the panel.
  function asText(item) {
    if (typeof item.title === "string") {
      item.text = item.title;
      var tip = el("div", item.title, "kg-tip");
      item.title = tip;
    }
    return item;
  }

  // A view is gzip-compressed JSON in base64; the browser inflates it only when asked.
  function unpack(key) {
    if (decoded[key]) return Promise.resolve(decoded[key]);
    if (!(key in packed)) return Promise.reject(new Error("no view " + key));
    var binary = atob(packed[key]);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).text().then(function (text) {
      decoded[key] = JSON.parse(text);
      return decoded[key];
    });
  }

  nodes = new vis.DataSet([]);
  edges = new vis.DataSet([]);
  data = {nodes: nodes, edges: edges};
  options = index.options;
  network = new vis.Network(document.getElementById("mynetwork"), data, options);

  // ---- views
  function markStory(key) {
    document.querySelectorAll("button.kg-story").forEach(function (b) {
      if (b.getAttribute("data-view") === key) b.setAttribute("aria-current", "true");
      else b.removeAttribute("aria-current");
    });
  }

  function setHeader(view) {
    document.getElementById("kg-view-title").textContent = view.label;
    document.getElementById("kg-summary").textContent = view.summary;
    var banner = document.getElementById("kg-cap-banner");
    banner.textContent = view.notes.join(" ");
    banner.hidden = view.notes.length === 0;
    var box = document.getElementById("kg-dispute-filter");
    var label = document.getElementById("kg-dispute-label");
    box.disabled = !view.disputes;
    if (!view.disputes) box.checked = false;
    label.className = view.disputes ? "" : "kg-disabled";
    label.lastChild.textContent = view.disputes
      ? " Speakers and disputes only"
      : " Speakers and disputes only (no contradiction or agreement between speakers in this view)";
  }

  function fillSelect(id, values) {
    var select = document.getElementById(id);
    while (select.options.length > 1) select.remove(1);
    values.forEach(function (v) {
      var option = el("option", v[1]);
      option.value = v[0];
      select.appendChild(option);
    });
    select.value = "";
    select.disabled = values.length === 0;
  }

  function setFilters(view) {
    var outlets = {}, articles = [], dated = false;
    view.nodes.forEach(function (n) {
      if (n.kind !== "Article") return;
      if (n.outlet) outlets[n.outlet] = true;
      if (n.date) dated = true;
      articles.push([n.id, n.name]);
    });
    fillSelect("kg-outlet", Object.keys(outlets).sort().map(function (o) { return [o, o]; }));
    articles.sort(function (a, b) { return a[1].localeCompare(b[1]); });
    fillSelect("kg-article", articles);
    ["kg-from", "kg-to"].forEach(function (id) {
      var input = document.getElementById(id);
      input.value = "";
      input.disabled = !dated;
    });
  }

  // ---- labels: placed when the map was written. A node whose label would overlap a more
  // important one carries the zoom from which it is drawn (labelZoom; null: never by zoom);
  // hovering or selecting a node draws its label too.
  var fullLabels = {};
  var hovered = null;
  var selected = null;
  // A bare ellipse (an event without its label) is drawn small, not as a 28-pixel disc.
  var bare = {widthConstraint: {minimum: 12, maximum: 12}, heightConstraint: {minimum: 8}};
  var clothed = {widthConstraint: false, heightConstraint: false};

  function labelShown(n, scale) {
    if (!("labelZoom" in n)) return true;
    if (n.id === hovered || n.id === selected) return true;
    return n.labelZoom !== null && scale >= n.labelZoom - 1e-6;
  }

  function labelled(n, shown) {
    var change = {id: n.id, label: shown ? fullLabels[n.id] : ""};
    if (n.shape === "ellipse") Object.assign(change, shown ? clothed : bare);
    return change;
  }

  // Past zoom 1 a label keeps its size on screen (vis-network's maxVisible fades the text instead of
  // shrinking it), so zooming in spreads the nodes and leaves room for the labels placed for that zoom.
  var looks = {};  // node id -> its font and scaling at zoom 1, as the layout measured them
  var fontZoom = 1;

  function sized(n, factor) {
    var look = looks[n.id];
    var size = look.font.size / factor;
    var label = Object.assign({}, look.scaling.label, {min: size, max: size});
    return {font: Object.assign({}, look.font, {size: size}), scaling: Object.assign({}, look.scaling, {label: label})};
  }

  function syncLabels() {
    var scale = network.getScale();
    var factor = Math.max(1, scale);
    var resize = Math.abs(factor - fontZoom) > 0.01 * fontZoom;
    var changes = [];
    nodes.forEach(function (n) {
      var change = null;
      if ("labelZoom" in n) {
        var shown = labelShown(n, scale);
        if (shown !== (n.label !== "")) change = labelled(n, shown);
      }
      if (resize && looks[n.id]) change = Object.assign(change || {id: n.id}, sized(n, factor));
      if (change) changes.push(change);
    });
    if (resize) fontZoom = factor;
    if (changes.length) nodes.update(changes);
    window.kgLabelsDrawn = nodes.get({filter: function (n) { return !n.hidden && n.label; }}).length;
  }

  function withLabel(n) {
    fullLabels[n.id] = n.label;
    if (n.font && n.scaling && n.scaling.label) looks[n.id] = {font: n.font, scaling: n.scaling};
    if ("labelZoom" in n) Object.assign(n, labelled(n, false));
    return n;
  }

  function openView(key, then) {
    window.kgMapReady = false;
    progress.hidden = false;
    progress.textContent = "Opening the view\u2026";
    return unpack(key).then(function (view) {
      closePanel();
      nodes.clear();
      edges.clear();
      fullLabels = {};
      looks = {};
      fontZoom = 1;
      hovered = null;
      nodes.add(view.nodes.map(function (n) { return withLabel(asText(Object.assign({}, n))); }));
      edges.add(view.edges.map(function (e) { return asText(Object.assign({}, e)); }));
      currentKey = key;
      window.kgView = key;
      setHeader(view);
      setFilters(view);
      applyFilters();
      markStory(key);
      network.fit({animation: false});
      syncLabels();
      progress.hidden = true;
      window.kgMapReady = true;
      if (then) then();
    }).catch(function (error) {
      progress.hidden = false;
      progress.textContent = "This view could not be opened: " + error.message;
      window.kgMapError = String(error);
    });
  }

  document.querySelectorAll("button.kg-story").forEach(function (button) {
    button.addEventListener("click", function () { openView(button.getAttribute("data-view")); });
  });

  // ---- the panel
  function nodeName(id) {
    var node = nodes.get(id);
    return node ? (node.name || fullLabels[id] || node.label) : id;
  }

  function closePanel() {
    panel.hidden = true;
    while (panelBody.firstChild) panelBody.removeChild(panelBody.firstChild);
    network.unselectAll();
    window.kgPanel = null;
    if (selected !== null) {
      selected = null;
      syncLabels();
    }
  }

  function link(text, action) {
    var button = el("button", text, "kg-link");
    button.type = "button";
    button.addEventListener("click", action);
    return button;
  }

  function edgeHeading(edge) {
    return edge.kind + ": " + nodeName(edge.from) + " \u2192 " + nodeName(edge.to);
  }

  // Edges whose text the node's panel shows in full: what a speaker said and whom they dispute.
  var inline = {"said": true, "contradicts": true, "agrees with": true, "in camp": true};

  function showNode(id) {
    var node = nodes.get(id);
    if (!node) return;
    closePanel();
    panel.hidden = false;
    panelBody.appendChild(el("h2", node.name || fullLabels[id]));
    panelBody.appendChild(el("p", node.kind, "kg-kind"));
    panelBody.appendChild(el("div", node.text || "", "kg-text"));
    if (node.view) {
      panelBody.appendChild(el("p")).appendChild(link("Open this story", function () { openView(node.view); }));
    }
    var touching = edges.get({filter: function (e) { return e.from === id || e.to === id; }});
    var shown = touching.filter(function (e) { return inline[e.kind]; });
    shown.forEach(function (e) {
      var section = el("section");
      section.setAttribute("data-edge", e.id);
      section.appendChild(el("h3", edgeHeading(e)));
      section.appendChild(el("div", e.text || "", "kg-text"));
      var other = e.from === id ? e.to : e.from;
      section.appendChild(link("\u2192 " + nodeName(other), function () { focusNode(other); }));
      panelBody.appendChild(section);
    });
    if (touching.length) {
      panelBody.appendChild(el("h3", "Linked (" + touching.length + ")"));
      var list = el("ul");
      touching.forEach(function (e) {
        var other = e.from === id ? e.to : e.from;
        var item = el("li");
        item.appendChild(link(nodeName(other), function () { focusNode(other); }));
        item.appendChild(document.createTextNode(" "));
        item.appendChild(link("(" + e.kind + ")", function () { showEdge(e.id); }));
        list.appendChild(item);
      });
      panelBody.appendChild(list);
    }
    network.selectNodes([id]);
    selected = id;
    syncLabels();
    window.kgPanel = {node: id};
  }

  function showEdge(id) {
    var edge = edges.get(id);
    if (!edge) return;
    closePanel();
    panel.hidden = false;
    panelBody.appendChild(el("h2", edgeHeading(edge)));
    var facts = edge.kind;
    if (edge.count) facts += " \u00b7 " + edge.count + (disputeKinds.indexOf(edge.kind) >= 0 ? " relations" : " claims");
    if (edge.confidence !== undefined) facts += " \u00b7 best confidence " + edge.confidence.toFixed(2);
    panelBody.appendChild(el("p", facts, "kg-kind"));
    panelBody.appendChild(el("div", edge.text || "", "kg-text"));
    var ends = el("ul");
    [edge.from, edge.to].forEach(function (end) {
      ends.appendChild(el("li")).appendChild(link(nodeName(end), function () { focusNode(end); }));
    });
    panelBody.appendChild(ends);
    network.selectEdges([id]);
    window.kgPanel = {edge: id};
  }

  function focusNode(id) {
    var node = nodes.get(id);
    if (!node) return;
    if (node.hidden) nodes.update({id: id, hidden: false});
    network.focus(id, {scale: Math.max(network.getScale(), 1.1), animation: false});
    showNode(id);
  }

  network.on("zoom", syncLabels);
  network.on("hoverNode", function (params) {
    hovered = params.node;
    syncLabels();
  });
  network.on("blurNode", function () {
    hovered = null;
    syncLabels();
  });

  network.on("click", function (params) {
    if (params.nodes.length) showNode(params.nodes[0]);
    else if (params.edges.length) showEdge(params.edges[0]);
    else closePanel();
  });
  network.on("doubleClick", function (params) {
    if (params.nodes.length) {
      var node = nodes.get(params.nodes[0]);
      if (node && node.view) openView(node.view);
    }
  });
  document.getElementById("kg-panel-close").addEventListener("click", closePanel);

  // ---- search: names and aliases of every drawn node, and story labels
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  var entries = [];
  index.stories.forEach(function (s) {
    entries.push({names: [s.label], folded: [fold(s.label)], story: s.key, meta: s.articles + " articles \u00b7 story"});
  });
  index.search.forEach(function (row) {
    entries.push({id: row[0], names: row[1], folded: row[1].map(fold), views: row[2]});
  });
  var results = document.getElementById("kg-search-results");
  var search = document.getElementById("kg-search");
  var found = [];
  var chosen = 0;

  function score(entry, q) {
    var best = 99;
    entry.folded.forEach(function (name) {
      var s = 99;
      if (name === q) s = 0;
      else if (name.indexOf(q) === 0) s = 1;
      else if (name.indexOf(" " + q) >= 0 || name.indexOf("-" + q) >= 0) s = 2;
      else if (name.indexOf(q) >= 0) s = 3;
      if (s < best) best = s;
    });
    return best;
  }

  function find(query) {
    var q = fold(query.trim());
    if (!q) return [];
    var hits = [];
    entries.forEach(function (entry) {
      var s = score(entry, q);
      if (s < 99) hits.push([s, entry.names[0].length, entry]);
    });
    hits.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1] || a[2].names[0].localeCompare(b[2].names[0]); });
    return hits.slice(0, 12).map(function (h) { return h[2]; });
  }

  function where(entry) {
    if (entry.story) return entry.meta;
    var key = entry.views[0];
    var story = index.stories.filter(function (s) { return s.key === key; })[0];
    return story ? "in " + story.label : "overview";
  }

  function showResults() {
    while (results.firstChild) results.removeChild(results.firstChild);
    found.forEach(function (entry, i) {
      var item = el("li", entry.names[0]);
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", i === chosen ? "true" : "false");
      if (entry.names.length > 1) item.title = entry.names.join("; ");
      item.appendChild(el("span", where(entry), "kg-meta"));
      item.addEventListener("mousedown", function (event) { event.preventDefault(); choose(entry); });
      results.appendChild(item);
    });
    results.hidden = found.length === 0;
  }

  function choose(entry) {
    results.hidden = true;
    if (entry.story) {
      openView(entry.story);
      return;
    }
    var key = entry.views.indexOf(currentKey) >= 0 ? currentKey : entry.views[0];
    if (key === currentKey) focusNode(entry.id);
    else openView(key, function () { focusNode(entry.id); });
  }

  search.addEventListener("input", function () {
    found = find(search.value);
    chosen = 0;
    showResults();
  });
  search.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      event.preventDefault();
      if (!found.length) found = find(search.value);
      if (found.length) choose(found[chosen] || found[0]);
    } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (found.length) {
        chosen = (chosen + (event.key === "ArrowDown" ? 1 : found.length - 1)) % found.length;
        showResults();
      }
    }
  });
  search.addEventListener("blur", function () { results.hidden = true; });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      results.hidden = true;
      closePanel();
    }
  });

  // ---- filters: kinds, outlet, article, time, confidence, disputes only
  var kindBoxes = Array.prototype.slice.call(document.querySelectorAll("#kg-kinds input"));
  var disputesOnly = document.getElementById("kg-dispute-filter");
  // An article's mention and report edges join it to almost all it names: drawn, they bury who
  // said what and who disputes whom, so they start hidden (the nodes stay; the panel lists them).
  var articleLinks = document.getElementById("kg-article-links");
  var articleKinds = {"mentions": true, "reports": true};
  // Unlabelled events that one article reports, or that no labelled node acts in, start hidden: they crowd a story.
  var minorEvents = document.getElementById("kg-minor-events");
  var confidence = document.getElementById("kg-confidence");
  var confidenceValue = document.getElementById("kg-confidence-value");

  function isDispute(edge) {
    return disputeKinds.indexOf(edge.kind) >= 0;
  }

  function applyFilters() {
    var kinds = {};
    kindBoxes.forEach(function (box) {
      box.getAttribute("data-kinds").split(" ").forEach(function (k) { kinds[k] = box.checked; });
    });
    kinds["Collective"] = kinds["Collective source"];
    var outlet = document.getElementById("kg-outlet").value;
    var article = document.getElementById("kg-article").value;
    var from = document.getElementById("kg-from").value;
    var to = document.getElementById("kg-to").value;
    var floor = parseFloat(confidence.value) || 0;
    confidenceValue.textContent = floor.toFixed(2);
    var byArticle = !!(outlet || article || from || to);
    var all = nodes.get();
    var allEdges = edges.get();
    var articleOk = {};
    all.forEach(function (n) {
      if (n.kind !== "Article") return;
      var day = (n.date || "").slice(0, 10);
      articleOk[n.id] = (!outlet || n.outlet === outlet) && (!article || n.id === article) &&
        (!from || (day && day >= from)) && (!to || (day && day <= to));
    });
    var edgeOk = {};
    var speakers = {};
    allEdges.forEach(function (e) {
      var ok = !isDispute(e) || (e.confidence || 0) >= floor;
      edgeOk[e.id] = ok;
      if (ok && isDispute(e)) { speakers[e.from] = true; speakers[e.to] = true; }
    });
    var linked = {};
    if (byArticle) {
      allEdges.forEach(function (e) {
        if (articleOk[e.from]) linked[e.to] = true;
        if (articleOk[e.to]) linked[e.from] = true;
      });
    }
    var visible = {};
    all.forEach(function (n) {
      var kindOn = n.kind === "Story" || kinds[n.kind] !== false;
      var ok = kindOn && (!n.minor || minorEvents.checked);
      if (ok && n.kind === "Article") ok = !byArticle || articleOk[n.id];
      else if (ok && byArticle && n.kind !== "Camp" && n.kind !== "Story") ok = !!linked[n.id];
      if (ok && disputesOnly.checked) ok = !!speakers[n.id] || n.kind === "Camp";
      visible[n.id] = ok;
    });
    // A camp shows while one of its members does.
    all.forEach(function (n) {
      if (n.kind !== "Camp" || !visible[n.id]) return;
      visible[n.id] = allEdges.some(function (e) { return e.to === n.id && visible[e.from]; });
    });
    nodes.update(all.map(function (n) { return {id: n.id, hidden: !visible[n.id]}; }));
    edges.update(allEdges.map(function (e) {
      var ok = edgeOk[e.id] && visible[e.from] && visible[e.to] && (articleLinks.checked || !articleKinds[e.kind]) &&
        (!disputesOnly.checked || isDispute(e) || e.kind === "in camp");
      return {id: e.id, hidden: !ok};
    }));
    window.kgDisputesOnly = disputesOnly.checked;
    window.kgVisibleNodes = all.filter(function (n) { return visible[n.id]; }).length;
  }

  function refit() {
    var shown = nodes.get({filter: function (n) { return !n.hidden; }}).map(function (n) { return n.id; });
    network.fit(shown.length ? {nodes: shown, animation: false} : {animation: false});
    syncLabels();
  }

  document.getElementById("kg-filters").addEventListener("submit", function (event) { event.preventDefault(); });
  kindBoxes.forEach(function (box) { box.addEventListener("change", applyFilters); });
  ["kg-outlet", "kg-article", "kg-from", "kg-to"].forEach(function (id) {
    document.getElementById(id).addEventListener("change", function () { applyFilters(); refit(); });
  });
  confidence.addEventListener("input", applyFilters);
  articleLinks.checked = false;
  articleLinks.addEventListener("change", applyFilters);
  minorEvents.checked = false;
  minorEvents.addEventListener("change", applyFilters);
  disputesOnly.checked = false;  // a reload may restore the box; the map starts whole
  window.kgDisputesOnly = false;
  disputesOnly.addEventListener("change", function () { applyFilters(); refit(); });

  openView(index.first);
})();
