with source as (select * from {{ source('raw_stames', 'agents') }}),

account as ({{ stames_account_clock() }}),

renamed as (
    select
        -- ids
        id as agent_id,
        -- strings
        email,
        name,
        role,
        timezone,
        -- booleans
        coalesce(active, false) as is_active,
        coalesce(deleted, false) as is_deleted,
        -- timestamps
        {{ stames_timestamp('deactivated_at') }} as deactivated_at,
        {{ stames_timestamp('created_at') }} as created_at,
        {{ stames_timestamp('updated_at') }} as updated_at
    from source
    cross join account
)

select * from renamed
