-- depends_on: {{ ref('stg_mapping__value_maps') }}
-- depends_on: {{ ref('int_customers_custom_values') }}
{# Every customer once, with what happens to it: synced as a Contact, excluded (merged in Stames
   or a duplicate merged by the dedupe rule, both under the mapping's rule `merged`), or
   quarantined with a reason a person can act on (a merge cycle, an email Salesforce rejects, a
   custom value its value map neither lists nor defaults). #}
{%- set value_mapped_custom_fields = [] -%}
{%- for entry in mapping_fields('Contact') if entry.value_map and entry.source.startswith('customer.custom.') -%}
    {%- do value_mapped_custom_fields.append(entry) -%}
{%- endfor %}
with resolved as (
    select * from {{ ref('int_customers_deduplicated') }}
),

unmapped as (
    {% for entry in value_mapped_custom_fields %}
    select
        custom_values.customer_id,
        '{{ entry.source }} value ''' || custom_values.value
            || ''' is not in value map {{ entry.value_map }}, which has no default; add it to the mapping'
            as detail
    from {{ ref('int_customers_custom_values') }} as custom_values
    where custom_values.key = '{{ entry.source.split(".", 2)[2] }}'
      and not {{ value_is_mapped('custom_values.value', entry.value_map) }}
    union all
    {% endfor %}
    select cast(null as bigint) as customer_id, cast(null as string) as detail where false
),

unmapped_by_customer as (
    select customer_id, {{ ordered_string_agg('detail', "'; '", 'detail') }} as detail
    from unmapped
    group by customer_id
),

survivors as (
    select * from {{ ref('int_customers_survivors') }}
)

select
    resolved.customer_id,
    resolved.survivor_id,
    resolved.resolution,
    case when resolved.resolution in ('merged', 'duplicate') then 'merged' end as exclusion_rule,
    case
        when resolved.resolution = 'merge_cycle' then 'merge cycle'
        when resolved.resolution = 'survivor' and survivors.email is not null
             and not {{ salesforce_email_ok('survivors.email') }} then 'invalid email'
        when resolved.resolution = 'survivor' and unmapped_by_customer.customer_id is not null
            then 'value not in the mapping'
    end as quarantine_reason,
    case
        when resolved.resolution = 'merge_cycle'
            then 'its merged_into_id chain loops back (' || cast(resolved.merge_hops as string)
                 || ' hops); fix the merge in Stames or pick the survivor by hand'
        when resolved.resolution = 'survivor' and survivors.email is not null
             and not {{ salesforce_email_ok('survivors.email') }}
            then 'Salesforce would reject the email ''' || survivors.email
                 || '''; correct it in Stames or clear it'
        when resolved.resolution = 'survivor' then unmapped_by_customer.detail
    end as quarantine_detail
from resolved
left join survivors on survivors.customer_id = resolved.customer_id
left join unmapped_by_customer on unmapped_by_customer.customer_id = resolved.customer_id
