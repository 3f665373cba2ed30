{#- When the mapping's tag strategy is `topics`: one Topic per distinct tag value and one
    assignment per synced Case and tag (tags of excluded or quarantined tickets are not assigned). -#}
select distinct tags.ticket_id, tags.tag_value
from {{ ref('int_tags_mapped') }} as tags
inner join {{ ref('int_cases_synced') }} as cases on cases.id = tags.ticket_id
where {{ mapping_setting('tags') }} = 'topics'
    and nullif(tags.tag_value, '') is not null
