{#- Tags of synced Cases that the tag value map neither lists nor defaults (object `ticket.tags`:
    the Case itself loads, without them). -#}
select distinct
    'ticket.tags' as object,
    cast(tags.ticket_id as string) as stames_id,
    'tag not in the mapping' as reason,
    'tag "' || tags.tag_name || '" is not in value map ' || tags.value_map
        || ', which has no default: the Case loads without it; add the tag to the map to keep it' as detail
from {{ ref('int_tags_mapped') }} as tags
inner join {{ ref('int_cases_synced') }} as cases on cases.id = tags.ticket_id
where tags.is_unmapped
    and {{ mapping_setting('tags') }} in ('multipicklist', 'topics')
