// gongbao 公报档案: small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  // "/" focuses the search box, as on most search sites.
  document.addEventListener("keydown", function (e) {
    if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target;
    if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable)) return;
    var box = document.querySelector('input[type="search"]');
    if (box) { e.preventDefault(); box.focus(); box.select(); }
  });

  // "引用本文": copy the reference or the permanent link.
  document.querySelectorAll("button.copy[data-copy]").forEach(function (b) {
    b.addEventListener("click", function () {
      var el = document.getElementById(b.dataset.copy);
      if (!el || !navigator.clipboard) return;
      navigator.clipboard.writeText(el.textContent.trim()).then(function () {
        var label = b.textContent;
        b.textContent = "已复制";
        setTimeout(function () { b.textContent = label; }, 1500);
      }, function () {});
    });
  });

  // Submitting the sort menu re-runs the search at once.
  var sort = document.querySelector('.search-form select[name="sort"]');
  if (sort && sort.form) sort.addEventListener("change", function () { sort.form.submit(); });

  // Outline: folded on small screens (it would push the text a screen down), open on wide ones.
  var outline = document.getElementById("outline");
  if (outline && window.matchMedia("(max-width: 960px)").matches) {
    var det = outline.querySelector("details");
    if (det) det.removeAttribute("open");
  }
  // Outline: mark the section being read, keep the active entry visible.
  if (!outline || !("IntersectionObserver" in window)) return;
  var links = {};
  outline.querySelectorAll("a[data-anchor]").forEach(function (a) { links[a.dataset.anchor] = a; });
  // A part (the notice, an enclosed plan, an annex) is watched through its title, not its whole box:
  // a section spans the screen while any of its headings is read and would always win.
  var owner = new Map();
  var targets = [];
  Object.keys(links).forEach(function (id) {
    var el = document.getElementById(id);
    if (!el) return;
    if (el.tagName === "SECTION") el = el.querySelector(".part-title, .annex-label, .addressees, p, h2, h3") || el;
    owner.set(el, id);
    targets.push(el);
  });
  var current = null;
  function activate(id) {
    if (current === id || !links[id]) return;
    if (current && links[current]) links[current].classList.remove("active");
    current = id;
    var a = links[id];
    a.classList.add("active");
    var box = outline.getBoundingClientRect(), r = a.getBoundingClientRect();
    if (r.top < box.top || r.bottom > box.bottom) outline.scrollTop += r.top - box.top - box.height / 3;
  }
  var observer = new IntersectionObserver(function (entries) {
    var visible = entries.filter(function (e) { return e.isIntersecting; });
    if (visible.length) {
      visible.sort(function (a, b) { return a.boundingClientRect.top - b.boundingClientRect.top; });
      activate(owner.get(visible[0].target));
    }
  }, { rootMargin: "-70px 0px -65% 0px" });
  targets.forEach(function (t) { observer.observe(t); });
  outline.addEventListener("click", function (e) {
    var a = e.target.closest("a[data-anchor]");
    if (a) activate(a.dataset.anchor);
  });
})();
