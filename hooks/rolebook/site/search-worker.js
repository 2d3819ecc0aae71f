/* Rolebook's search worker: Material's search box asks, Pagefind answers.
 *
 * Material for MkDocs talks to its search through a web worker and lets a site name its
 * own (the `search` entry of the page's `__config`; the hook points it here). The
 * messages are Material's: SETUP (its settings; no documents, Pagefind holds those),
 * READY, QUERY (the text typed) and RESULT (groups of [page, its best sections]).
 *
 * Pagefind loads only the index chunks the typed words need and the excerpts of the
 * results listed, so the first query does not wait for the whole site's words.
 * Role pages rank first: their words weigh more in the index (the hook weights them), and
 * among the pages listed together a role page's score counts ROLE_BOOST times.
 */

const SETUP = 0, READY = 1, QUERY = 2, RESULT = 3

/** Site root: this file is published at assets/rolebook/search-worker.js. */
const ROOT = new URL("../../", self.location.href)

/** How many pages a result list holds, and how many are sent before the others. */
const LISTED = 20
const FIRST = 10

/** How much a role page's score counts against any other page's listed with it. */
const ROLE_BOOST = 2

/** Letters of the last word typed that are enough to find the words it begins. */
const PREFIX = 5

/** Sections shown under a page without unfolding "more". */
const SECTIONS_SHOWN = 3

let pagefind = null
let latest = 0

async function setup() {
  try {
    const loaded = await import(new URL("pagefind/pagefind.js", ROOT).href)
    await loaded.options({
      basePath: new URL("pagefind/", ROOT).pathname,
      baseUrl: ROOT.pathname,
      excerptLength: 24
    })
    await loaded.init()
    pagefind = loaded
  } catch (error) {
    /* no index (yet): Material says that nothing matches */
    console.warn("The search index could not be loaded", error)
  }
}

function escapeHTML(text) {
  return String(text)
    .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;")
}

/** Pagefind's results for `query`. */
async function scored(query) {
  const found = await pagefind.search(query)
  return (found ? found.results : []).map(result => ({ result, score: result.score }))
}

/** Results for `query`, best first.
 *
 * Pagefind indexes word stems ("escalation" as "escal") and matches the last word typed
 * as a prefix of them, so a word typed past its stem ("escalat") finds little until it
 * is complete. When a query finds fewer pages than a list holds, the last word's first
 * PREFIX letters are searched too; a page found both ways keeps its better score. */
async function ranked(query) {
  const words = query.split(/\s+/)
  const last = words.pop()
  const found = await scored(query)
  if (found.length >= LISTED || last.length <= PREFIX)
    return found.sort((a, b) => b.score - a.score)
  const best = new Map(found.map(hit => [hit.result.id, hit]))
  for (const hit of await scored([...words, last.slice(0, PREFIX)].join(" ")))
    if (!best.has(hit.result.id) || best.get(hit.result.id).score < hit.score)
      best.set(hit.result.id, hit)
  return [...best.values()].sort((a, b) => b.score - a.score)
}

/** Sum of the weighted hits in a section: how much of the query it holds. */
function weight(section) {
  return (section.weighted_locations || []).reduce((sum, hit) => sum + hit.balanced_score, 0)
}

/** A section that is its heading alone (a group heading such as "Escalation", whose
 * words are in the sections under it): listing it would show the heading twice. */
function headingOnly(section) {
  return (section.plain_excerpt || "").replace(/[\s.]+$/, "") === section.title.trim()
}

/** One group of Material's result list: the page, then its sections, best first. */
function group(page, score, terms) {
  const url = href => new URL(href, self.location.origin).href
  const sections = page.sub_results
    .filter(section => section.anchor && !headingOnly(section))
    .sort((a, b) => weight(b) - weight(a))
  const items = [{ location: url(page.url), title: escapeHTML(page.meta.title || page.url), text: page.excerpt, score, terms }]
  sections.forEach((section, index) => items.push({
    location: url(section.url),
    title: escapeHTML(section.title),
    text: section.excerpt,
    score: index < SECTIONS_SHOWN ? score : score / (2 + index),
    terms
  }))
  return items
}

/** Answer `query`: the first FIRST pages as soon as their excerpts are in, then all LISTED
 * (Material shows ten and renders the rest as the list is scrolled). Gives up as soon as
 * a newer query (`ticket`) has come. */
async function answer(query, ticket) {
  const words = query.trim()
  if (!words || !pagefind)
    return postMessage({ type: RESULT, data: { items: [] } })
  const results = (await ranked(words)).slice(0, LISTED)
  const terms = Object.fromEntries(words.toLowerCase().split(/\s+/).map(word => [word, true]))
  const items = []
  const batches = [results.slice(0, FIRST), results.slice(FIRST)].filter((batch, index) => !index || batch.length)
  for (const batch of batches) {
    if (ticket !== latest)
      return
    const pages = await Promise.all(batch.map(async ({ result, score }) => {
      const page = await result.data()
      return { page, score: score * (page.meta.kind === "role" ? ROLE_BOOST : 1) }
    }))
    if (ticket !== latest)
      return
    pages.sort((a, b) => b.score - a.score)
    pages.forEach(({ page, score }) => items.push(group(page, score, terms)))
    postMessage({ type: RESULT, data: { items: [...items] } })
  }
}

addEventListener("message", async event => {
  const { type, data } = event.data
  if (type === SETUP) {
    await setup()
    postMessage({ type: READY })
  } else if (type === QUERY) {
    /* Material asks on every key; only the latest query is answered */
    const ticket = ++latest
    try {
      await answer(data, ticket)
    } catch (error) {
      console.warn(`Search failed for "${data}"`, error)
      postMessage({ type: RESULT, data: { items: [] } })
    }
  }
})
