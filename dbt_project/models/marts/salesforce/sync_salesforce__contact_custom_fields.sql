-- depends_on: {{ ref('stg_mapping__value_maps') }}
{# Stames_Id__c and one column per custom (`__c`) Contact field of the mapping: the columns follow
   the mapping (no enforced contract; a test checks them against mapping.fields). #}
{%- set entries = [] -%}
{%- for entry in mapping_fields('Contact') if entry.target_field.endswith('__c') and entry.target_field != 'Stames_Id__c' -%}
    {%- do entries.append(entry) -%}
{%- endfor %}
with contacts as (
    select * from {{ ref('int_customers_contacts') }}
),

custom_values as (
    select
        customer_id
        {%- for entry in entries if entry.source.startswith('customer.custom.') %},
        max(value) filter (where key = '{{ entry.source.split(".", 2)[2] }}') as {{ entry.target_field }}
        {%- endfor %}
    from {{ ref('int_customers_custom_values') }}
    group by customer_id
)

select
    cast(contacts.customer_id as string) as Stames_Id__c
    {%- for entry in entries %},
    {%- if entry.source.startswith('customer.custom.') %}
        {%- set raw = 'custom_values.' ~ entry.target_field %}
    {%- else %}
        {%- set raw = source_column(entry.source, 'contacts') %}
    {%- endif %}
    {{ typed_value(value_mapped(raw, entry.value_map), entry.source_type) }} as {{ 'ref__' if entry.source_type == 'lookup' else '' }}{{ entry.target_field }}
    {%- endfor %}
from contacts
left join custom_values on custom_values.customer_id = contacts.customer_id
