/* Rolebook's search worker: Material's search box asks, Pagefind answers.
 *
 * Material for MkDocs talks to its search through a web worker and lets a site name its
 * own (the `search` entry of the page's `__config`; the hook points it here). The
 * messages are Material's: SETUP (its settings; no documents, Pagefind holds those),
 * READY, QUERY (the text typed) and RESULT (groups of [page, its best sections]).
 *
 * Pagefind loads only the index chunks the typed words need and the excerpts of the
 * results listed, so the first query does not wait for the whole site's words.
 * Role pages rank first: the same query is run over the whole site and over role pages
 * only (the pages the hook marks kind:role), and role pages' scores are multiplied by
 * ROLE_BOOST.
 */

const SETUP = 0, READY = 1, QUERY = 2, RESULT = 3

/** Site root: this file is published at assets/rolebook/search-worker.js. */
const ROOT = new URL("../../", self.location.href)

/** How many pages a result list holds (Material shows 10 and more on scrolling). */
const LISTED = 20

/** How much a role page's score counts against any other page's for the same words. */
const ROLE_BOOST = 4

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

/** Pagefind's results for `query`, role pages' scores multiplied by ROLE_BOOST. */
async function scored(query, factor) {
  const [all, roles] = await Promise.all([
    pagefind.search(query),
    pagefind.search(query, { filters: { kind: "role" } })
  ])
  const role = new Set((roles ? roles.results : []).map(result => result.id))
  return (all ? all.results : []).map(result => ({
    result,
    score: result.score * factor * (role.has(result.id) ? ROLE_BOOST : 1)
  }))
}

/** Results for `query`, best first.
 *
 * Pagefind indexes word stems ("escalation" as "escal") and matches the last word typed
 * as a prefix of them, so a word typed past its stem ("escalat") finds nothing until it
 * is complete. The last word's first PREFIX letters are searched too, and what only they
 * find counts at half its score. */
async function ranked(query) {
  const words = query.split(/\s+/)
  const last = words.pop()
  const searches = [scored(query, 1)]
  if (last.length > PREFIX)
    searches.push(scored([...words, last.slice(0, PREFIX)].join(" "), 0.5))
  const best = new Map()
  for (const found of await Promise.all(searches))
    for (const hit of found)
      if (!best.has(hit.result.id))
        best.set(hit.result.id, hit)
  return [...best.values()].sort((a, b) => b.score - a.score)
}

/** Sum of the weighted hits in a section: how much of the query it holds. */
function weight(section) {
  return (section.weighted_locations || []).reduce((sum, hit) => sum + hit.balanced_score, 0)
}

/** One group of Material's result list: the page, then its sections, best first. */
function group(page, score, terms) {
  const url = href => new URL(href, self.location.origin).href
  const sections = page.sub_results
    .filter(section => section.anchor)
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

async function search(query, ticket) {
  const words = query.trim()
  if (!words || !pagefind)
    return { items: [] }
  const results = (await ranked(words)).slice(0, LISTED)
  if (ticket !== latest)
    return null
  const pages = await Promise.all(results.map(({ result }) => result.data()))
  if (ticket !== latest)
    return null
  const terms = Object.fromEntries(words.toLowerCase().split(/\s+/).map(word => [word, true]))
  return { items: pages.map((page, index) => group(page, results[index].score, terms)) }
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
      const result = await search(data, ticket)
      if (result)
        postMessage({ type: RESULT, data: result })
    } catch (error) {
      console.warn(`Search failed for "${data}"`, error)
      postMessage({ type: RESULT, data: { items: [] } })
    }
  }
})
