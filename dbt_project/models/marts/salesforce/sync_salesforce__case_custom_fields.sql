-- depends_on: {{ ref('stg_mapping__value_maps') }}
-- depends_on: {{ ref('stg_stames__custom_fields') }}
{# Stames_Id__c and one column per custom (`__c`) Case field of the mapping, in mapping order:
   the columns follow the mapping, so this model has no enforced contract; a test checks them
   against mapping.fields. Custom field values arrive value-mapped from int_cases_custom_values.
   A lookup to an agent holds the User Id itself; any other lookup is `ref__<Field>` holding the
   parent's Stames id (int_cases_custom_lookups drops what would dangle). #}
{%- set entries = [] -%}
{%- for entry in mapping_fields('Case') if entry.target_field.endswith('__c') and entry.target_field != 'Stames_Id__c' -%}
    {%- do entries.append(entry) -%}
{%- endfor %}
{%- set lookup_targets = custom_field_lookup_targets('ticket') %}
with cases as (
    select * from {{ ref('int_cases_synced') }}
),

custom_values as (
    select
        ticket_id
        {%- for entry in entries if entry.source.startswith('ticket.custom.') %},
        max(mapped_value) filter (where key = '{{ entry.source.split(".", 2)[2] }}') as {{ entry.target_field }}
        {%- endfor %}
    from {{ ref('int_cases_custom_values') }}
    group by ticket_id
),

lookups as (
    select
        ticket_id
        {%- for entry in entries if entry.source.startswith('ticket.custom.') and entry.source_type == 'lookup' %},
        max(resolved_value) filter (where key = '{{ entry.source.split(".", 2)[2] }}') as {{ entry.target_field }}
        {%- endfor %}
    from {{ ref('int_cases_custom_lookups') }}
    group by ticket_id
),

tags as (
    select * from {{ ref('int_tags_by_ticket') }}
)

select
    cast(cases.id as string) as Stames_Id__c
    {%- for entry in entries %},
    {%- set custom_key = entry.source.split(".", 2)[2] if entry.source.startswith('ticket.custom.') else none %}
    {%- if custom_key and entry.source_type == 'lookup' %}
    lookups.{{ entry.target_field }} as {{ '' if lookup_targets.get(custom_key) == 'agent' else 'ref__' }}{{ entry.target_field }}
    {%- elif custom_key %}
    {{ typed_value('custom_values.' ~ entry.target_field, entry.source_type) }} as {{ entry.target_field }}
    {%- elif entry.source_type == 'tags' %}
    tags.tag_values as {{ entry.target_field }}
    {%- else %}
    {{ typed_value(value_mapped(source_column(entry.source, 'cases'), entry.value_map), entry.source_type) }} as {{ 'ref__' if entry.source_type == 'lookup' else '' }}{{ entry.target_field }}
    {%- endif %}
    {%- endfor %}
from cases
left join custom_values on custom_values.ticket_id = cases.id
left join lookups on lookups.ticket_id = cases.id
left join tags on tags.ticket_id = cases.id
