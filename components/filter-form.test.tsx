import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { FilterForm } from "./filter-form";

describe("FilterForm", () => {
  it("is a GET form to the list's own path, so filtering works without JavaScript", () => {
    const html = renderToStaticMarkup(
      <FilterForm action="/audit" label="Filter audit events" resetKey="{}">
        <input name="actor" />
      </FilterForm>,
    );
    expect(html).toContain('<form role="search" aria-label="Filter audit events" class="filters" action="/audit" method="get">');
    expect(html).toContain('<a class="button button-secondary" href="/audit">Clear</a>');
  });

  it("names the filters from the address that were ignored, by their search param", () => {
    const html = renderToStaticMarkup(
      <FilterForm action="/applications" label="Filter applications" resetKey="{}" invalid={[{ path: "query.exposure", message: "Invalid option" }]}>
        <input name="exposure" />
      </FilterForm>,
    );
    expect(html).toContain("Some filters in the address were not valid and were ignored:");
    expect(html).toContain("<li>exposure: Invalid option</li>");
  });

  it("offers no Clear link when nothing is filtered", () => {
    const html = renderToStaticMarkup(
      <FilterForm action="/teams" label="Search teams" resetKey="" submitLabel="Search" canClear={false}>
        <input name="q" />
      </FilterForm>,
    );
    expect(html).not.toContain("Clear");
  });
});
