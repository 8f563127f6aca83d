// The productpage HTML: escaping, stars, and dependency failures.
import { describe, expect, it } from "vitest";
import { PRODUCTS } from "./products";
import { escapeHtml, renderProductPage, renderStars } from "./render";

const product = PRODUCTS[0]!;
const details = { ok: true as const, status: 200, body: { type: "paperback", pages: 200, "ISBN-10": "1234567890" } };
const reviewsV3 = {
  ok: true as const,
  status: 200,
  body: {
    service: "reviews",
    version: "v3",
    reviews: [{ reviewer: "Reviewer1", text: "Fun <b>play</b>", rating: { stars: 4, color: "red" } }],
  },
};

describe("renderProductPage", () => {
  it("escapes HTML special characters", () => {
    expect(escapeHtml(`<a href="x">&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;");
  });

  it("renders stars in the review's colour", () => {
    expect(renderStars(4, "red")).toBe('<span class="stars" style="color: red">★★★★☆</span>');
    expect(renderStars(9, "black")).toContain("★★★★★<");
  });

  it("shows details, reviews with red stars, and which version served them", () => {
    const html = renderProductPage({
      product,
      details,
      reviews: reviewsV3,
      user: "jason",
      service: "productpage",
      version: "v1",
    });
    expect(html).toContain("The Comedy of Errors");
    expect(html).toContain("<dt>pages:</dt><dd>200</dd>");
    expect(html).toContain("Fun &lt;b&gt;play&lt;/b&gt;");
    expect(html).toContain('style="color: red"');
    expect(html).toContain('data-reviews-version="v3"');
    expect(html).toContain('<dd class="served-by">reviews-v3</dd>');
    expect(html).toContain("Signed in as <b>jason</b>");
  });

  it("shows Bookinfo's messages when details or reviews failed", () => {
    const failed = {
      ok: false as const,
      status: 503,
      error: { code: "no_healthy_upstream", message: "no healthy upstream" },
    };
    const html = renderProductPage({
      product,
      details: failed,
      reviews: failed,
      user: null,
      service: "productpage",
      version: "v1",
    });
    expect(html).toContain("Error fetching product details!");
    expect(html).toContain("Sorry, product reviews are currently unavailable for this book.");
    expect(html).not.toContain("Signed in as");
  });

  it("escapes a hostile end-user header", () => {
    const html = renderProductPage({
      product,
      details,
      reviews: reviewsV3,
      user: "<script>",
      service: "productpage",
      version: "v1",
    });
    expect(html).toContain("&lt;script&gt;");
    expect(html).not.toContain("<script>");
  });
});
