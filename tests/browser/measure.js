// What the browser tests check on a loaded page, measured in one pass.
// Run by conftest.Visitor through page.evaluate; returns plain data.
async () => {
  const main = document.querySelector("article[role=main]") || document.body;

  // A short, readable name for an element in a failure message.
  const describe = (node) => {
    const classes = [...node.classList].slice(0, 2).join(".");
    const text = (node.textContent || "").trim().replace(/\s+/g, " ").slice(0, 50);
    return `${node.tagName.toLowerCase()}${classes ? "." + classes : ""} "${text}"`;
  };

  // The characters *start* to *end* of a text node, as a range to measure.
  const textRange = (node, start, end) => {
    const range = document.createRange();
    range.setStart(node, start);
    range.setEnd(node, end);
    return range;
  };

  // What a reader sees, without code and scripts (for the raw-TeX check).
  const copy = main.cloneNode(true);
  copy.querySelectorAll("pre, script").forEach((node) => node.remove());
  const text = copy.innerText;

  const present = {};
  for (const selector of [
    "div.highlight pre",
    "div.highlight",
    "[class*='sd-']",
    ".sd-tab-set",
    "[class*='mathjax'], [class*='tex2jax']",
  ]) {
    present[selector] = document.querySelector(selector) !== null;
  }

  // Whether text in *inner* scrolls within a box inside *outer*.
  const scrollsInside = (inner, outer) => {
    for (let box = inner; box && box !== outer; box = box.parentElement) {
      if (["auto", "scroll"].includes(getComputedStyle(box).overflowX)) return true;
    }
    return false;
  };

  // Content wider than its box: cut off (overflow hidden or clip) or
  // scrollable (auto or scroll). A scrollable box must show that it scrolls.
  const clipped = [];
  const scrollers = [];
  // A scroll shadow is hidden by an opaque cover until there is more to see;
  // a transparent cover shows the shadow on a box that does not scroll.
  const seeThroughCovers = [];
  for (const node of main.querySelectorAll("*")) {
    const image = getComputedStyle(node).backgroundImage;
    if (image.includes("radial-gradient") && /^linear-gradient\([^,]*, rgba\([^)]*, 0\)/.test(image)) {
      seeThroughCovers.push(describe(node));
    }
  }
  for (const node of main.querySelectorAll("*")) {
    if (!node.checkVisibility() || node.scrollWidth <= node.clientWidth + 1) continue;
    if (node.clientWidth === 0) continue;
    const style = getComputedStyle(node);
    if (style.overflowX === "hidden" || style.overflowX === "clip") {
      // Cut off only if some of its text lies past its edge (a title's
      // background running under the padding is not text).
      const edgeRight = node.getBoundingClientRect().left + node.clientLeft + node.clientWidth;
      const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
      while (walker.nextNode()) {
        if (!walker.currentNode.textContent.trim()) continue;
        if (scrollsInside(walker.currentNode.parentElement, node)) continue;
        const range = document.createRange();
        range.selectNodeContents(walker.currentNode);
        if (range.getBoundingClientRect().right > edgeRight + 1) {
          clipped.push(describe(node));
          break;
        }
      }
    } else if (style.overflowX === "auto" || style.overflowX === "scroll") {
      const cue = style.backgroundImage.includes("gradient") || style.overflowX === "scroll";
      scrollers.push({ what: describe(node), cue, table: node.querySelector("table") !== null });
    }
  }
  // Text past the right edge of the screen that no box inside the page
  // scrolls to: a container further out (furo's page) cuts it off, so the
  // document does not scroll sideways and the reader cannot reach it.
  const offscreen = [];
  const screenRight = document.documentElement.clientWidth;
  const words = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
  while (words.nextNode()) {
    const node = words.currentNode;
    if (!node.textContent.trim() || !node.parentElement.checkVisibility()) continue;
    if (scrollsInside(node.parentElement, main)) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    if (range.getBoundingClientRect().right > screenRight + 1) {
      offscreen.push(describe(node.parentElement));
      if (offscreen.length >= 5) break;
    }
  }
  // A table cell whose text spills out of it (or is cut) is clipped too.
  for (const cell of main.querySelectorAll("td, th")) {
    if (cell.scrollWidth > cell.clientWidth + 1) clipped.push(describe(cell));
  }

  // Headings and API names must break between words, never inside one.
  const brokenWords = [];
  // The general index's entries too: on a phone "(dmls_examples.datasets.
  // DeliveryPredi" / "ctions attribute)" broke inside a name; each part of a
  // dotted name, which may end a line after its dot, is a text node of its own.
  for (const heading of document.querySelectorAll("h1, .sig-name, .sig-prename, table.genindextable a")) {
    const walker = document.createTreeWalker(heading, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const node = walker.currentNode;
      if (node.parentElement.closest(".headerlink")) continue;
      for (const match of node.textContent.matchAll(/\S+/g)) {
        const range = textRange(node, match.index, match.index + match[0].length);
        const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
        if (lines.size > 1) brokenWords.push(match[0]);
      }
    }
  }

  // The previous and next pages' titles at a page's foot, and the entries
  // of the references, break between words too: "1.11. Interpretabilit" /
  // "y" in a phone's next-page link, "[Computer Business Review, 2018]
  // Compu" / "ter Business Review" beside a long label. A word here is a run
  // of letters (a hyphen or a dash may end a line); a web address may
  // break anywhere.
  const brokenEntries = [];
  for (const entry of document.querySelectorAll(".related-pages .title, div.citation")) {
    if (!entry.checkVisibility()) continue;
    const walker = document.createTreeWalker(entry, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const node = walker.currentNode;
      if (node.parentElement.closest("a.reference.external")) continue;
      for (const match of node.textContent.matchAll(/\p{L}+/gu)) {
        const range = textRange(node, match.index, match.index + match[0].length);
        const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
        if (lines.size > 1) brokenEntries.push(match[0]);
      }
    }
  }

  // A section's number starts the line its title's first word starts:
  // "1.11." stood alone on a phone's first line, "Interpretability" below.
  const strandedNumbers = [];
  for (const number of document.querySelectorAll(".section-number")) {
    if (!number.checkVisibility()) continue;
    const after = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
      acceptNode: (node) => (number.contains(node) || !node.textContent.trim()
        ? NodeFilter.FILTER_SKIP : NodeFilter.FILTER_ACCEPT),
    });
    after.currentNode = number;
    const next = after.nextNode();
    if (!next) continue;
    const start = next.textContent.search(/\S/);
    const first = textRange(next, start, start + 1);
    const numberTop = Math.max(...[...number.getClientRects()].map((r) => r.top));
    if (first.getBoundingClientRect().top > numberTop + 2) {
      strandedNumbers.push(describe(number.parentElement));
    }
  }

  // A square root ends where its radicand's overbar ends: Chromium makes the
  // box as wide as the font's widest radical sign (dmls-common.css), and
  // "√d" was followed by an empty 0.22em.
  const radicalGaps = [];
  for (const root of main.querySelectorAll("msqrt")) {
    if (!root.checkVisibility() || !root.lastElementChild) continue;
    const margin = parseFloat(getComputedStyle(root).marginRight) || 0;
    const gap = root.getBoundingClientRect().right + margin - root.lastElementChild.getBoundingClientRect().right;
    if (gap > 0.5) radicalGaps.push(`${describe(root.closest("math").parentElement)} ${gap.toFixed(1)}px`);
  }

  // A word of code ("--help", a module's dotted name) never breaks inside:
  // "--" at one line's end and "help" on the next read as two things. The
  // page's own and the sidebar's and footer's (prev/next) names alike.
  const splitCode = [];
  for (const word of document.querySelectorAll("code.literal span.pre")) {
    if (!word.checkVisibility()) continue;
    const lines = new Set([...word.getClientRects()].map((r) => Math.round(r.top)));
    if (lines.size > 1) splitCode.push(word.textContent);
  }

  // A formula and the text it touches ("$x$," or "($x$") stay on one line:
  // a line may break around a formula as around an image, and a comma
  // began the next line.
  const detached = [];
  for (const formula of main.querySelectorAll("span.math")) {
    if (!formula.checkVisibility()) continue;
    const box = formula.getBoundingClientRect();
    const outside = document.createTreeWalker(main, NodeFilter.SHOW_TEXT, {
      acceptNode: (node) => (formula.contains(node) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
    });
    const charBox = (node, index) => textRange(node, index, index + 1).getBoundingClientRect();
    outside.currentNode = formula;
    const after = outside.nextNode();
    if (after && /^\S/.test(after.textContent) && charBox(after, 0).top >= box.bottom - 2) {
      detached.push(`${describe(formula.parentElement)}: "${after.textContent.slice(0, 10)}"`);
    }
    outside.currentNode = formula;
    const before = outside.previousNode();
    const last = before ? before.textContent.length - 1 : -1;
    if (last >= 0 && /\S$/.test(before.textContent) && charBox(before, last).bottom <= box.top + 2) {
      detached.push(`${describe(formula.parentElement)}: "${before.textContent.slice(-10)}"`);
    }
  }

  // A heading's "¶" link (hidden until hovered, but taking its place) wrapped
  // onto a line of its own after a title ending in "?": an empty-looking line.
  const strandedLinks = [];
  const linked = ":is(h1, h2, h3, h4, h5, h6, dt, figcaption p, caption) > a.headerlink";
  for (const link of main.querySelectorAll(linked)) {
    const before = document.createRange();
    before.setStartBefore(link.parentElement.firstChild);
    before.setEndBefore(link);
    const lines = [...before.getClientRects()].filter((r) => r.width > 0).map((r) => r.top);
    if (lines.length && link.getBoundingClientRect().top > Math.max(...lines) + 2) {
      strandedLinks.push(describe(link.parentElement));
    }
  }

  // The smallest text of every figure as drawn: the SVG is laid out in a
  // hidden box at the size the image is shown, and each text's font size is
  // scaled by the transform from the SVG's units to the screen.
  const figures = [];
  const box = document.createElement("div");
  box.style.cssText = "position:absolute;left:0;top:0;visibility:hidden;pointer-events:none";
  document.body.append(box);
  for (const img of main.querySelectorAll("img")) {
    const source = img.currentSrc || img.src;
    if (!img.checkVisibility() || !source.split("?")[0].endsWith(".svg")) continue;
    const shown = img.getBoundingClientRect();
    box.innerHTML = await (await fetch(source)).text();
    const svg = box.querySelector("svg");
    svg.setAttribute("width", shown.width);
    svg.setAttribute("height", shown.height);
    let smallest = Infinity;
    let smallestText = "";
    for (const label of svg.querySelectorAll("text")) {
      if (!label.textContent.trim()) continue;
      const matrix = label.getScreenCTM();
      const scale = Math.sqrt(matrix.a * matrix.a + matrix.b * matrix.b);
      const size = parseFloat(getComputedStyle(label).fontSize) * scale;
      if (size < smallest) {
        smallest = size;
        smallestText = label.textContent.trim();
      }
    }
    figures.push({
      src: source.split("/").pop(),
      width: shown.width,
      smallest,
      smallestText,
      // How far the image reaches past the column's right edge.
      beyond: shown.right - main.getBoundingClientRect().right,
    });
  }
  box.remove();

  // Doctest outputs of two or more lines (a table, a report, a value
  // printed over lines) that reach past the right edge of their code box.
  // Solutions are in closed dropdowns: open them to measure, then close.
  const closed = [...main.querySelectorAll("details:not([open])")];
  closed.forEach((details) => (details.open = true));
  const wideOutputs = [];
  for (const pre of main.querySelectorAll("div.highlight pre")) {
    if (!pre.checkVisibility()) continue;
    const style = getComputedStyle(pre);
    const edge =
      pre.getBoundingClientRect().left + pre.clientLeft + pre.clientWidth - parseFloat(style.paddingRight);
    // Each output line is a span.go, the lines of one output separated by
    // bare newlines; anything else between them is the next input.
    let input = "";
    let lines = [];
    const done = () => {
      // The dmls command line's output and errors, run in the page (cli.run,
      // its result's .errors), are shown as a terminal prints them.
      if (lines.length >= 2 && !/\brun\(|\.errors\b/.test(input)) {
        const right = Math.max(
          ...lines.map((line) => {
            const range = document.createRange();
            range.selectNodeContents(line);
            return range.getBoundingClientRect().right;
          }),
        );
        if (right > edge + 1) {
          const first = lines[0].textContent.trim().slice(0, 40);
          wideOutputs.push(`"${first}" (${lines.length} lines) ${Math.round(right - edge)}px too wide`);
        }
      }
      lines = [];
      input = "";
    };
    for (const node of pre.childNodes) {
      if (node.nodeType === Node.ELEMENT_NODE && node.classList.contains("go")) {
        lines.push(node);
      } else if (!(node.nodeType === Node.TEXT_NODE && node.textContent === "\n")) {
        if (lines.length) done();
        input += node.textContent;
      }
    }
    done();
  }
  // Text whose colour contrasts less than WCAG AA asks with what lies behind
  // it: 4.5:1, or 3:1 for large text. The background is the nearest opaque
  // background colour, with translucent ones on the way laid over it; axe
  // cannot judge text on the scroll shadows' gradients (code, tables,
  // signatures, formulas), this can, since each box's covers take its colour.
  const rgba = (colour) => {
    const parts = colour.match(/[\d.]+/g).map(Number);
    return parts.length > 3 ? parts : [...parts, 1];
  };
  const over = (top, bottom) => [0, 1, 2].map((i) => top[i] * top[3] + bottom[i] * (1 - top[3]));
  const luminance = (rgb) =>
    rgb
      .map((c) => c / 255)
      .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4))
      .reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i], 0);
  const behind = (node) => {
    const layers = [];
    for (let box = node; box; box = box.parentElement) {
      const colour = rgba(getComputedStyle(box).backgroundColor);
      if (colour[3] > 0) layers.push(colour);
      if (colour[3] >= 1) break;
    }
    return layers.reduceRight((below, layer) => over(layer, below), [255, 255, 255]);
  };
  const lowContrast = new Set();
  const texts = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
  while (texts.nextNode()) {
    const node = texts.currentNode.parentElement;
    if (!texts.currentNode.textContent.trim() || !node.checkVisibility({ visibilityProperty: true })) continue;
    const style = getComputedStyle(node);
    let opacity = 1;
    for (let box = node; box; box = box.parentElement) opacity *= parseFloat(getComputedStyle(box).opacity);
    const colour = rgba(style.color);
    const background = behind(node);
    const ink = over([...colour.slice(0, 3), colour[3] * opacity], background);
    const [a, b] = [luminance(ink), luminance(background)];
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (parseInt(style.fontWeight) >= 700 && size >= 18.66);
    if (ratio < (large ? 3 : 4.5)) lowContrast.add(`${describe(node)} ${style.color} ${ratio.toFixed(2)}:1`);
  }
  closed.forEach((details) => (details.open = false));

  return {
    overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    offscreen,
    text,
    present,
    clipped,
    scrollers,
    seeThroughCovers,
    brokenWords,
    brokenEntries,
    strandedNumbers,
    radicalGaps,
    splitCode,
    detached,
    strandedLinks,
    figures,
    wideOutputs,
    lowContrast: [...lowContrast],
    // The levels of the page's headings, in order, and every image (either
    // theme's variant, shown or not) without a text alternative.
    headings: [...main.querySelectorAll("h1, h2, h3, h4, h5, h6")].map((h) => Number(h.tagName[1])),
    imagesWithoutAlt: [...main.querySelectorAll("img")]
      .filter((img) => !(img.getAttribute("alt") || "").trim())
      .map((img) => img.getAttribute("src")),
  };
}
