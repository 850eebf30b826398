'use strict';
// A list filter picked with the admin's autocomplete (admin/tracker/autocomplete_filter.html):
// choosing a value, or clearing it, reloads the list filtered by it, from its first page.
{
    const $ = django.jQuery;
    $(function() {
        $('select[data-filter-parameter]').on('change', function() {
            const url = new URL(window.location.href);
            url.searchParams.delete('p');
            if (this.value) {
                url.searchParams.set(this.dataset.filterParameter, this.value);
            } else {
                url.searchParams.delete(this.dataset.filterParameter);
            }
            window.location.assign(url.toString());
        });
    });
}
