-- depends_on: {{ ref('stg_mapping__value_maps') }}
{# Stames_Id__c and one column per custom (`__c`) Case field of the mapping, in mapping order:
   the columns follow the mapping, so this model has no enforced contract; a test checks them
   against mapping.fields. Lookups are `ref__<Field>` holding the parent's Stames id. #}
{%- set entries = [] -%}
{%- for entry in mapping_fields('Case') if entry.target_field.endswith('__c') and entry.target_field != 'Stames_Id__c' -%}
    {%- do entries.append(entry) -%}
{%- endfor %}
with cases as (
    select * from {{ ref('int_cases_synced') }}
),

custom_values as (
    select
        ticket_id
        {%- for entry in entries if entry.source.startswith('ticket.custom.') %},
        max(value) filter (where key = '{{ entry.source.split(".", 2)[2] }}') as "{{ entry.target_field }}"
        {%- endfor %}
    from {{ ref('int_cases_custom_values') }}
    group by ticket_id
),

tags as (
    select * from {{ ref('int_cases_tags_mapped') }}
)

select
    cast(cases.id as varchar) as "Stames_Id__c"
    {%- for entry in entries %},
    {%- if entry.source.startswith('ticket.custom.') %}
        {%- set raw = 'custom_values."' ~ entry.target_field ~ '"' %}
    {%- elif entry.source_type == 'tags' %}
        {%- set raw = 'tags.tags' %}
    {%- else %}
        {%- set raw = source_column(entry.source, 'cases') %}
    {%- endif %}
    {%- set value = raw if entry.source_type == 'tags' else value_mapped(raw, entry.value_map) %}
    {{ typed_value(value, entry.source_type) }} as "{{ 'ref__' if entry.source_type == 'lookup' else '' }}{{ entry.target_field }}"
    {%- endfor %}
from cases
left join custom_values on custom_values.ticket_id = cases.id
left join tags on tags.ticket_id = cases.id
