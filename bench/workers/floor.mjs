// The platform floor: a Worker that only forwards each request to the upstream. The least any Worker proxy costs.
export default {
  fetch(request, env) {
    const url = new URL(request.url);
    return fetch(`${env.UPSTREAM}${url.pathname}${url.search}`, request);
  },
};
