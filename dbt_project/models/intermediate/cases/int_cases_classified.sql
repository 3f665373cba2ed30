-- depends_on: {{ ref('stg_mapping__value_maps') }}
-- depends_on: {{ ref('int_cases_custom_values') }}
{# Every ticket once, with what happens to it: excluded by a mapping rule (`spam`: is_spam;
   `deleted`: deleted_at set or a ticket tombstone for deletion or erasure; each applied only when
   the mapping enables it), quarantined (a value, custom fields' included, that its value map
   neither lists nor defaults, or a
   requester email Salesforce would reject once trimmed and NFKC-folded), or synced as a Case. #}
{#- custom fields come value-mapped, element by element, from int_cases_custom_values -#}
{%- set value_mapped_fields = [] -%}
{%- for entry in mapping_fields('Case') if entry.value_map and entry.source_type != 'tags' -%}
    {%- if not entry.source.startswith('ticket.custom.') -%}
        {%- do value_mapped_fields.append(entry) -%}
    {%- endif -%}
{%- endfor %}
{%- set supplied_email = mapped_source('Case.SuppliedEmail', 'tickets') %}
with tickets as (
    select * from {{ ref('stg_stames__tickets') }}
),

tombstones as (
    select record_id, bool_or(reason in ('deleted', 'gdpr_erasure')) as is_deleted
    from {{ ref('stg_stames__deleted_records') }}
    where object = 'ticket'
    group by record_id
),

unmapped as (
    {% for entry in value_mapped_fields %}
    select
        tickets.id,
        '{{ entry.source }} value ''' || coalesce(cast({{ source_column(entry.source, 'tickets') }} as string), '(empty)')
            || ''' is not in value map {{ entry.value_map }}, which has no default; add it to the mapping'
            as detail
    from tickets
    where not {{ value_is_mapped(source_column(entry.source, 'tickets'), entry.value_map) }}
    union all
    {% endfor %}
    select
        custom_values.ticket_id as id,
        'ticket.custom.' || custom_values.key || ' value ''' || custom_values.unmapped_values
            || ''' is not in value map ' || custom_values.value_map || ', which has no default; add it to the mapping'
            as detail
    from {{ ref('int_cases_custom_values') }} as custom_values
    where custom_values.unmapped_values is not null
    union all
    select cast(null as bigint) as id, cast(null as string) as detail where false
),

rejected_emails as (
    {% if supplied_email != 'null' -%}
    select
        tickets.id,
        'Salesforce would reject the requester email ''' || {{ supplied_email }}
            || ''' (Case.SuppliedEmail); correct it in Stames or clear it' as detail
    from tickets
    where nullif(trim({{ fold_fullwidth(supplied_email) }}), '') is not null
      and not {{ salesforce_email_ok('trim(' ~ fold_fullwidth(supplied_email) ~ ')') }}
    {%- else -%}
    select cast(null as bigint) as id, cast(null as string) as detail where false
    {%- endif %}
),

problems as (
    select id, 'value not in the mapping' as reason, detail from unmapped
    union all
    select id, 'invalid email' as reason, detail from rejected_emails
),

problems_by_ticket as (
    select
        id,
        {{ ordered_string_agg('reason', "'; '", 'reason', distinct=true) }} as reason,
        {{ ordered_string_agg('detail', "'; '", 'detail nulls last') }} as detail
    from problems
    group by id
),

rules as (
    select
        tickets.id,
        {{ exclusion_enabled('spam') }} and tickets.is_spam as is_spam_excluded,
        {{ exclusion_enabled('deleted') }}
            and (tickets.deleted_at is not null or coalesce(tombstones.is_deleted, false)) as is_deleted_excluded
    from tickets
    left join tombstones on tombstones.record_id = cast(tickets.id as string)
)

select
    tickets.id as ticket_id,
    case
        when rules.is_spam_excluded then 'spam'
        when rules.is_deleted_excluded then 'deleted'
    end as exclusion_rule,
    case
        when not (rules.is_spam_excluded or rules.is_deleted_excluded) then problems_by_ticket.reason
    end as quarantine_reason,
    case
        when not (rules.is_spam_excluded or rules.is_deleted_excluded) then problems_by_ticket.detail
    end as quarantine_detail
from tickets
inner join rules on rules.id = tickets.id
left join problems_by_ticket on problems_by_ticket.id = tickets.id
