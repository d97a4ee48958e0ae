// graphctl's network page. Every text that comes from the graph (names, quotes,
// titles) is shown with textContent / text nodes only, never parsed as HTML.
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var container = document.getElementById("network");
  var details = document.getElementById("details");
  var tip = document.getElementById("tip");
  var status = document.getElementById("settle-status");
  var started = performance.now();
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);

  var page = {
    network: network, nodes: nodes, edges: edges, links: data.links,
    settled: false, settleMs: null, showEdge: showEdge, showNode: showNode, hoverEdge: hoverEdge
  };
  window.graphctl = page;

  // -- settling: physics polishes the networkx layout briefly, then stops -------
  function settle() {
    if (page.settled) { return; }
    network.setOptions({ physics: { enabled: false } });
    page.settled = true;
    page.settleMs = Math.round(performance.now() - started);
    document.body.setAttribute("data-settled", "true");
    document.body.setAttribute("data-settle-ms", String(page.settleMs));
    status.textContent = "layout settled in " + (page.settleMs < 1000 ? page.settleMs + " ms" :
      (page.settleMs / 1000).toFixed(1) + " s");
    network.fit({ animation: false });
  }
  network.once("stabilizationIterationsDone", settle);
  network.once("stabilized", settle);
  if (!data.physics) { network.once("afterDrawing", settle); }
  setTimeout(settle, 20000);  // never drift: stop physics whatever happened

  // -- small DOM helpers: text only -------------------------------------------
  function el(tag, className, children) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    (children || []).forEach(function (child) {
      if (child === null || child === undefined) { return; }
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }
  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }
  function actorName(id) {
    if (data.actors[id]) { return data.actors[id].name; }
    return data.speakers[id] || id;
  }
  function speakerName(claim) {
    return claim.said_by === "author" ? "the author of " + claim.doc : actorName(claim.said_by);
  }
  function linkTitle(link) {
    var arrow = link.directed ? " → " : " ↔ ";
    return actorName(link.subject) + arrow + link.predicate + arrow + actorName(link.object);
  }
  function stateLine(link) {
    var line = el("p", "meta", []);
    var state = el("span", "state", [link.state]);
    state.style.color = data.states[link.state];
    line.appendChild(state);
    line.appendChild(document.createTextNode(
      " · " + link.claims.length + " claim(s)" + (link.set_aside ? " (" + link.set_aside + " set aside in review)" : "") + " · " + link.speakers + " speaker(s) · " + link.documents +
      " document(s)" + (link.copies ? " (and " + link.copies + " copies of them, counted once)" : "") + (link.tentative ? " · all hedged or speculative" : "") +
      (link.rolled_up ? " · includes claims rolled up from units" : "")));
    return line;
  }

  function claimBox(claim, withQuote) {
    var box = el("div", "claim " + claim.polarity, []);
    var head = el("div", "", [el("span", "badge " + claim.polarity, [claim.polarity]), " ",
      speakerName(claim), claim.certainty && claim.certainty !== "asserted" ? " (" + claim.certainty + ")" : "",
      claim.review ? el("span", "badge review " + claim.review, [claim.review]) : null]);
    box.appendChild(head);
    if (claim.review_note) { box.appendChild(el("div", "meta", ["review: " + claim.review_note])); }
    if (claim.source && claim.source !== claim.doc) { box.appendChild(el("div", "meta", ["a copy of " + claim.source])); }
    var meta = [claim.title || claim.doc];
    if (claim.outlet) { meta.push(claim.outlet); }
    if (claim.date) { meta.push(claim.date); }
    if (claim.time) { meta.push("when: " + claim.time); }
    box.appendChild(el("div", "meta", [meta.join(" · ")]));
    if (claim.unit_subject || claim.unit_object) {
      box.appendChild(el("div", "meta", ["rolled up from " + actorName(claim.unit_subject || claim.subject) +
        " → " + actorName(claim.unit_object || claim.object)]));
    }
    if (withQuote && claim.quote) { box.appendChild(el("blockquote", "", ["“" + claim.quote + "”"])); }
    return box;
  }

  // -- an edge: its claims --------------------------------------------------------
  function showEdge(edgeId) {
    var link = data.links[edgeId];
    if (!link) { return; }
    clear(details);
    details.appendChild(el("h2", "", [linkTitle(link)]));
    details.appendChild(stateLine(link));
    link.claims.forEach(function (claim) { details.appendChild(claimBox(claim, true)); });
  }

  function hoverEdge(edgeId, x, y) {
    var link = data.links[edgeId];
    if (!link) { return; }
    clear(tip);
    tip.appendChild(el("b", "", [linkTitle(link)]));
    tip.appendChild(stateLine(link));
    link.claims.slice(0, 4).forEach(function (claim) { tip.appendChild(claimBox(claim, true)); });
    if (link.claims.length > 4) {
      tip.appendChild(el("div", "meta", ["… " + (link.claims.length - 4) + " more: click the edge"]));
    }
    tip.hidden = false;
    var left = Math.min(x + 14, window.innerWidth - tip.offsetWidth - 8);
    var top = Math.min(y + 14, window.innerHeight - tip.offsetHeight - 8);
    tip.style.left = Math.max(left, 4) + "px";
    tip.style.top = Math.max(top, 4) + "px";
  }

  // -- an actor: its profile --------------------------------------------------------
  function showNode(actorId) {
    var actor = data.actors[actorId];
    if (!actor) { return; }
    var counts = {}, neighbours = [];
    Object.keys(data.links).forEach(function (edgeId) {
      var link = data.links[edgeId], role;
      if (link.subject === actorId) { role = link.directed ? "out" : "with"; }
      else if (link.object === actorId) { role = link.directed ? "in" : "with"; }
      else { return; }
      neighbours.push({ edgeId: edgeId, link: link, other: link.subject === actorId ? link.object : link.subject, role: role });
      var row = counts[link.predicate] = counts[link.predicate] ||
        { out: { affirms: 0, denies: 0 }, "in": { affirms: 0, denies: 0 }, "with": { affirms: 0, denies: 0 } };
      link.claims.forEach(function (claim) { row[role][claim.polarity] += 1; });
    });
    clear(details);
    details.appendChild(el("h2", "", [actor.name]));
    details.appendChild(el("p", "meta", [(actor.provisional ? "provisional (NER's hint: " +
      actor.kind.replace(/_/g, " ") + ")" : actor.kind.replace(/_/g, " ")) + " · id " + actor.id + " · " +
      actor.degree + " link(s) in this view"]));
    details.appendChild(el("h3", "", ["Claims by predicate and polarity"]));
    var table = el("table", "profile", []);
    table.appendChild(el("tr", "", ["predicate", "out ✓", "out ✗", "in ✓", "in ✗", "with ✓", "with ✗"].map(
      function (text) { return el("th", "", [text]); })));
    Object.keys(counts).sort().forEach(function (predicate) {
      var row = counts[predicate];
      table.appendChild(el("tr", "", [predicate, row.out.affirms, row.out.denies, row["in"].affirms,
        row["in"].denies, row["with"].affirms, row["with"].denies].map(
        function (value) { return el("td", "", [String(value)]); })));
    });
    details.appendChild(table);
    details.appendChild(el("p", "meta", ["✓ affirms, ✗ denies; out: this actor is the subject, in: the object, with: COOPERATED_WITH."]));
    details.appendChild(el("h3", "", ["Links"]));
    var list = el("ul", "neighbours", []);
    neighbours.forEach(function (item) {
      var anchor = el("a", "", [item.link.predicate + " " + (item.role === "in" ? "from " : "") + actorName(item.other)]);
      anchor.addEventListener("click", function () { network.selectEdges([item.edgeId]); showEdge(item.edgeId); });
      list.appendChild(el("li", "", [anchor, " (" + item.link.state + ", " + item.link.claims.length + ")"]));
    });
    details.appendChild(list);
  }

  // -- events ---------------------------------------------------------------------------
  network.on("hoverEdge", function (event) {
    var pointer = event.event && event.event.center ? event.event.center :
      { x: event.pointer.DOM.x + container.getBoundingClientRect().left,
        y: event.pointer.DOM.y + container.getBoundingClientRect().top };
    var x = event.event && event.event.clientX !== undefined ? event.event.clientX : pointer.x;
    var y = event.event && event.event.clientY !== undefined ? event.event.clientY : pointer.y;
    hoverEdge(event.edge, x, y);
  });
  network.on("blurEdge", function () { tip.hidden = true; });
  network.on("dragStart", function () { tip.hidden = true; });
  network.on("click", function (event) {
    tip.hidden = true;
    if (event.nodes.length) { showNode(event.nodes[0]); }
    else if (event.edges.length) { showEdge(event.edges[0]); }
  });
})();
