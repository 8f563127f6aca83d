// The dashboard's static page — a placeholder that asks for a token and shows /v1/status until the real one lands.
export const DASHBOARD_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>flaremesh dashboard</title>
<style>body{font:15px system-ui,sans-serif;margin:2rem;max-width:60rem}pre{background:#f4f4f4;padding:1rem}</style>
</head>
<body>
<h1>flaremesh dashboard</h1>
<form id="login">
  <label>Admin or viewer token <input id="token" type="password" autocomplete="off" required></label>
  <button>Show status</button>
</form>
<pre id="out"></pre>
<script>
const out = document.getElementById("out");
const input = document.getElementById("token");
input.value = sessionStorage.getItem("flaremesh-token") || "";
document.getElementById("login").addEventListener("submit", async (event) => {
  event.preventDefault();
  sessionStorage.setItem("flaremesh-token", input.value);
  const response = await fetch("/v1/status", { headers: { authorization: "Bearer " + input.value } });
  out.textContent = JSON.stringify(await response.json(), null, 2);
});
</script>
</body>
</html>
`;
