{#- A ticket's tags as one multi-select picklist string (values sorted, `;`-separated), for the
    Case's tag field when the mapping's tag strategy is `multipicklist`. -#}
select
    ticket_id,
    {{ ordered_string_agg('tag_value', "';'", 'tag_value', distinct=true) }} as tag_values
from {{ ref('int_tags_mapped') }}
where {{ mapping_setting('tags') }} = 'multipicklist'
    and nullif(tag_value, '') is not null
group by ticket_id
