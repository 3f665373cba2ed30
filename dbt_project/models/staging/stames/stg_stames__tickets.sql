{# Column names stay dlt's names of the Stames fields (`ticket.channel.type` is `channel__type`),
   so the mapping's sources find their column; timestamps are parsed to UTC (legacy local ones
   from the account's timezone) and the original created_at text kept. #}
with source as (select * from {{ source('raw_stames', 'tickets') }}),

account as ({{ stames_account_clock() }}),

renamed as (
    select
        -- ids
        id,
        _dlt_id as dlt_id,
        assignee_id,
        team_id,
        customer_id,
        merged_into_id,
        requester__id,
        channel__inbox_id,
        -- strings
        number,
        subject,
        description_text,
        description_html,
        status,
        status_category,
        priority,
        requester__name,
        requester__email,
        channel__type,
        channel__source_ref,
        reminder__trigger,
        -- numerics
        reminder__offset_minutes,
        message_count,
        attachment_count,
        -- booleans
        coalesce(is_spam, false) as is_spam,
        sms_notification,
        -- timestamps
        {{ stames_timestamp('created_at') }} as created_at,
        {{ stames_timestamp('updated_at') }} as updated_at,
        {{ stames_timestamp('sla_due_at') }} as sla_due_at,
        {{ stames_timestamp('reminder__remind_at') }} as reminder__remind_at,
        {{ stames_timestamp('deleted_at') }} as deleted_at,
        created_at as created_at_raw
    from source
    cross join account
)

select * from renamed
