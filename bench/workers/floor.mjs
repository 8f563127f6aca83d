// The platform floor: a Worker that only forwards each request to the upstream. The least any Worker proxy costs.
//
// Written in the cheapest form measured (tenth session, docs/benchmarks.md "The floor, corrected"): the path cut
// from `request.url` (no runtime URL object) and `fetch` given an init object. `new URL` plus `fetch(url, request)`,
// the floor until then, served 0.86–0.88× these requests, which flattered every ratio to the floor.
export default {
  fetch(request, env) {
    const href = request.url;
    const path = href.slice(href.indexOf("/", href.indexOf("//") + 2));
    return fetch(`${env.UPSTREAM}${path}`, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      redirect: "manual",
    });
  },
};
